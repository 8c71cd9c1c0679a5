"""Payloads the payment providers send, built from their documented field lists, and their
credentials: pay2s (Bearer token), SePay (Apikey), Casso webhook v2 (X-Casso-Signature)."""
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request

PAY2S_TOKEN = "pay2s-token-0123456789abcdef"
SEPAY_API_KEY = "sepay-api-key-0123456789abcdef"
CASSO_SECRET = "casso-secret-0123456789abcdef"
MERCHANT_API_KEY = "merchant-api-key-0123456789"

PROVIDER_ENV = {
    "PAY2S_TOKEN": PAY2S_TOKEN,
    "SEPAY_API_KEY": SEPAY_API_KEY,
    "CASSO_SECRET": CASSO_SECRET,
    "MERCHANT_API_KEY": MERCHANT_API_KEY,
    "BANK_ID": "MB",
    "BANK_ACCOUNT_NUMBER": "0123456789",
    "BANK_ACCOUNT_NAME": "CONG TY PAYNOTIFY",
}


def pay2s_transaction(id, content, amount=50000, transfer_type="IN"):
    return {
        "id": id, "gateway": "ACB", "transactionDate": "2025-04-01 00:02:18", "transactionNumber": f"n{id}",
        "accountNumber": "12805521", "content": content, "transferType": transfer_type, "transferAmount": amount,
        "checksum": "7e2b3bbc03d1083017e3d2a96d3b8e01",
    }


def pay2s_body(*transactions):
    return {"transactions": list(transactions)}


def pay2s_headers(token=PAY2S_TOKEN):
    return {"Authorization": f"Bearer {token}"}


def sepay_body(id, content, amount=2277000, code=None, transfer_type="in"):
    return {
        "id": id, "gateway": "Vietcombank", "transactionDate": "2023-03-25 14:02:37", "accountNumber": "0123499999",
        "code": code, "content": content, "transferType": transfer_type, "transferAmount": amount, "accumulated": 19077000,
        "subAccount": None, "referenceCode": f"MBVCB.{id}", "description": "",
    }


def sepay_headers(key=SEPAY_API_KEY):
    return {"Authorization": f"Apikey {key}"}


def casso_body(id, description, amount=599000):
    return {"error": 0, "data": {
        "id": id, "reference": f"FT{id}", "description": description, "amount": amount, "runningBalance": 25000000,
        "transactionDateTime": "2024-10-03 15:06:37", "accountNumber": "88888888", "bankName": "VPBank", "bankAbbreviation": "VPB",
        "virtualAccountNumber": "", "virtualAccountName": "", "counterAccountName": "NGUYỄN VĂN A", "counterAccountNumber": "8888888888",
        "counterAccountBankId": "970415", "counterAccountBankName": "VietinBank",
    }}


def casso_headers(body, secret=CASSO_SECRET, timestamp_ms=None):
    """As Casso's sample signs: t + "." + JSON.stringify(body with keys sorted recursively)."""
    timestamp_ms = timestamp_ms or int(time.time() * 1000)
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    signature = hmac.new(secret.encode(), f"{timestamp_ms}.{canonical}".encode(), hashlib.sha512).hexdigest()
    return {"X-Casso-Signature": f"t={timestamp_ms},v1={signature}"}


def merchant_request(server, method, path, body=None, key=MERCHANT_API_KEY, headers=None):
    """Any request with the merchant key; returns (status, content type, raw body)."""
    data = json.dumps(body).encode() if body is not None else (b"" if method == "POST" else None)
    request = urllib.request.Request(server.url + path, method=method, data=data, headers={
        "Content-Type": "application/json", **({"Authorization": f"Bearer {key}"} if key else {}), **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers.get("Content-Type"), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type"), error.read()


def api(server, path, body=None, key=MERCHANT_API_KEY):
    """Calls the merchant API; returns (status, parsed JSON answer)."""
    headers = {"Content-Type": "application/json"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(server.url + path, data=data, method="POST" if data else "GET", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())
