"""A websocket client that writes frames by hand (fragments, control frames, oversized
messages): what no ordinary client library lets a test send."""
import base64
import os
import socket
import struct

OP_CONTINUATION, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA


def _masked(payload: bytes, mask: bytes) -> bytes:
    # One big-integer XOR instead of a Python loop per byte: tests send megabytes.
    length = len(payload)
    key = (mask * (length // 4 + 1))[:length]
    return (int.from_bytes(payload, "big") ^ int.from_bytes(key, "big")).to_bytes(length, "big")


class RawWebSocket:
    def __init__(self, url: str, path: str, timeout: float = 5.0, receive_buffer: int | None = None, extensions: str | None = None):
        host, port = url.removeprefix("http://").split(":")
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if receive_buffer:
            # Before connecting, so the advertised window is small from the start.
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
        self.sock.settimeout(timeout)
        self.sock.connect((host, int(port)))
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            + (f"Sec-WebSocket-Extensions: {extensions}\r\n" if extensions else "")
            + "\r\n"
        )
        self.sock.sendall(request.encode())
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("closed during the handshake")
            self.buffer += chunk
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        self.status = int(head.split(b" ")[1])
        self.response_headers = {}
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.decode().partition(":")
            self.response_headers[name.strip().lower()] = value.strip()

    def send_frame(self, opcode: int, payload: bytes, fin: bool = True, rsv1: bool = False, masked: bool = True):
        """`masked=False` sends what no client may send, to test its refusal."""
        mask = os.urandom(4)
        mask_bit = 0x80 if masked else 0
        header = bytes([(0x80 if fin else 0) | (0x40 if rsv1 else 0) | opcode])
        length = len(payload)
        if length < 126:
            header += bytes([mask_bit | length])
        elif length < 1 << 16:
            header += bytes([mask_bit | 126]) + struct.pack(">H", length)
        else:
            header += bytes([mask_bit | 127]) + struct.pack(">Q", length)
        self.sock.sendall(header + (mask + _masked(payload, mask) if masked else payload))

    def _read(self, count: int) -> bytes:
        while len(self.buffer) < count:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("connection closed")
            self.buffer += chunk
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def read_frame(self):
        """(opcode, payload) of the next frame from the server (servers never mask)."""
        opcode, payload, _ = self.read_frame_with_flags()
        return opcode, payload

    def read_frame_with_flags(self):
        """(opcode, payload, rsv1) of the next frame: RSV1 marks a permessage-deflate payload."""
        first, second = self._read(2)
        length = second & 0x7F
        if length == 126:
            (length,) = struct.unpack(">H", self._read(2))
        elif length == 127:
            (length,) = struct.unpack(">Q", self._read(8))
        return first & 0x0F, self._read(length), bool(first & 0x40)

    def read_message_with_flags(self):
        """The next frame that is not an Engine.IO ping (answered on the way), with its RSV1."""
        while True:
            opcode, payload, rsv1 = self.read_frame_with_flags()
            if opcode == OP_TEXT and payload == b"2":
                self.send_frame(OP_TEXT, b"3")
                continue
            return opcode, payload, rsv1

    def read_text(self) -> str:
        """The next text frame, answering Engine.IO pings on the way."""
        while True:
            opcode, payload = self.read_frame()
            if opcode == OP_TEXT and payload == b"2":
                self.send_frame(OP_TEXT, b"3")
                continue
            if opcode == OP_TEXT:
                return payload.decode()
            raise AssertionError(f"expected a text frame, got opcode {opcode}: {payload[:80]!r}")

    def read_until_close(self):
        """Skips frames until the server's close frame; returns its status code."""
        while True:
            opcode, payload = self.read_frame()
            if opcode == OP_CLOSE:
                return struct.unpack(">H", payload[:2])[0] if len(payload) >= 2 else None

    def close(self):
        self.sock.close()
