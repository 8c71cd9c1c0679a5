"""Helpers for the security tests: signed webhooks, tokens, keys and certificates made at test time."""
import base64
import datetime
import hashlib
import hmac
import json
import os
import time
import uuid

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

STANDARD_SECRET = "whsec_" + base64.b64encode(b"0123456789abcdef0123456789abcdef").decode()
OLD_STANDARD_SECRET = "whsec_" + base64.b64encode(b"fedcba9876543210fedcba9876543210").decode()
JWT_SECRET = "a-development-secret-of-32-bytes-at-least!"


def standard_headers(body: bytes, secret=STANDARD_SECRET, message_id=None, timestamp=None):
    message_id = message_id or f"msg_{uuid.uuid4().hex}"
    timestamp = str(int(timestamp if timestamp is not None else time.time()))
    key = base64.b64decode(secret[len("whsec_"):])
    signed = f"{message_id}.{timestamp}.".encode() + body
    signature = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return {"webhook-id": message_id, "webhook-timestamp": timestamp, "webhook-signature": f"v1,{signature}"}


def stripe_headers(body: bytes, secret, timestamp=None, extra_signatures=()):
    timestamp = str(int(timestamp if timestamp is not None else time.time()))
    signature = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    parts = [f"t={timestamp}", *[f"v1={s}" for s in extra_signatures], f"v1={signature}"]
    return {"Stripe-Signature": ",".join(parts)}


def token(claims=None, secret=JWT_SECRET, algorithm="HS256", ttl=600, **extra):
    payload = {"sub": "user-1", "exp": int(time.time()) + ttl, **(claims or {}), **extra}
    payload = {key: value for key, value in payload.items() if value is not None}
    return jwt.encode(payload, secret, algorithm=algorithm)


def rsa_keys():
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return private, public_pem(private)


def ec_keys():
    private = ec.generate_private_key(ec.SECP256R1())
    return private, public_pem(private)


def public_pem(private):
    return private.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def self_signed_certificate(directory):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    import ipaddress
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path = os.path.join(directory, "cert.pem")
    key_path = os.path.join(directory, "key.pem")
    with open(cert_path, "wb") as handle:
        handle.write(certificate.public_bytes(serialization.Encoding.PEM))
    with open(key_path, "wb") as handle:
        handle.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return cert_path, key_path
