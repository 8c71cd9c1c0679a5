// The demo checkout page: reads ?booking=ID&amount=N (and ?token= where sockets need one),
// shows the QR code when the server has bank settings, and watches the booking with paynotify.js.
import { watchBooking } from '/client/paynotify.js';

const element = (id) => document.getElementById(id);
const parameters = new URLSearchParams(location.search);
const bookingId = parameters.get('booking');
const amountText = parameters.get('amount');

const CONNECTION_TEXT = {
  connecting: 'Connecting…',
  connected: 'Live: this page updates by itself.',
  reconnecting: 'Connection lost, reconnecting…',
};

function showProblem(message) {
  const problem = element('problem');
  problem.textContent = message;
  problem.hidden = false;
}

function formatAmount(amount) {
  return new Intl.NumberFormat('vi-VN', { style: 'currency', currency: 'VND' }).format(amount);
}

/** The QR code from `GET /api/bookings/{id}/qr`; without bank settings the page goes on without it. */
async function showQRCode(amount) {
  try {
    const response = await fetch(`/api/bookings/${encodeURIComponent(bookingId)}/qr?amount=${encodeURIComponent(amountText)}`);
    if (!response.ok) return;
    const qr = await response.json();
    if (typeof qr.url !== 'string' || typeof qr.memo !== 'string') return;
    element('memo').textContent = qr.memo;
    const image = element('qr-image');
    image.alt = `Bank transfer QR code: ${formatAmount(amount)} with memo ${qr.memo}`;
    image.src = qr.url;
    element('qr').hidden = false;
  } catch {
    // No QR code: the memo and amount are on the page as text.
  }
}

function showStatus(status) {
  const box = element('status');
  if (status === 'paid' || box.dataset.status === 'paid') return;
  box.dataset.status = 'pending';
  element('status-text').textContent = status === 'pending' ? 'Waiting for your payment' : `Waiting for your payment (last report: ${status})`;
}

function showPaid(payment) {
  const box = element('status');
  box.dataset.status = 'paid';
  box.querySelector('.status-icon').textContent = '✓';
  element('status-text').textContent = `Paid: ${formatAmount(payment.amount)}`;
  element('transaction-id').textContent = payment.transactionId;
  const time = element('paid-at');
  const paidAt = new Date(payment.timestamp ?? Date.now());
  time.dateTime = paidAt.toISOString();
  time.textContent = paidAt.toLocaleString();
  element('status-detail').hidden = false;
}

function offerSimulation(amount) {
  element('simulate-section').hidden = false;
  const button = element('simulate');
  const result = element('simulate-result');
  button.addEventListener('click', async () => {
    result.textContent = 'Sending…';
    try {
      const response = await fetch('/demo/simulate', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ bookingId, amount }),
      });
      const answer = await response.json();
      if (!response.ok) result.textContent = `Refused: ${answer.error ?? `HTTP ${response.status}`}`;
      else if (answer.duplicate) result.textContent = 'Already recorded: a repeated webhook is not announced twice.';
      else result.textContent = 'Webhook recorded.';
    } catch (error) {
      result.textContent = `Could not reach the server: ${error.message}`;
    }
  });
}

function start() {
  if (!bookingId) {
    showProblem('No booking given: open this page as /demo?booking=YOUR_BOOKING_ID&amount=AMOUNT.');
    return;
  }
  const amount = Number(amountText);
  if (amountText === null || amountText.trim() === '' || !Number.isFinite(amount) || amount < 0) {
    showProblem(`The amount must be a number of at least 0, got "${amountText ?? ''}": open this page as /demo?booking=${bookingId}&amount=500000.`);
    return;
  }
  element('booking-id').textContent = bookingId;
  element('amount').textContent = formatAmount(amount);
  element('memo').textContent = bookingId;
  element('booking').hidden = false;
  element('payment').hidden = false;
  showQRCode(amount);
  if (document.body.dataset.simulate === 'on') offerSimulation(amount);

  watchBooking(location.origin, bookingId, {
    token: parameters.get('token') ?? undefined,
    onStatus: showStatus,
    onPaid: showPaid,
    onConnection(state) {
      element('connection').textContent = CONNECTION_TEXT[state] ?? '';
      element('connection').hidden = state === 'stopped';
    },
    onError(error) {
      showProblem(`This page cannot follow the payment: ${error.message}.`);
    },
  });
}

start();
