"""`paynotify doctor`: a configuration checked without starting the server, a line per check,
exit 1 on any error."""
import os
import subprocess

import pytest

from cluster import RedisServer
from conftest import BINARY, free_port
from security import JWT_SECRET, STANDARD_SECRET, self_signed_certificate


def doctor(tmp_path, env=None, args=()):
    environment = {key: value for key, value in os.environ.items() if key not in ("PORT", "REDIS_URL")}
    environment.update({"DATABASE_PATH": str(tmp_path / "ledger.sqlite"), **(env or {})})
    return subprocess.run([str(BINARY), "doctor", *args], cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=60)


def line(result, subject):
    return next(line for line in result.stdout.splitlines() if line.split()[1:2] == subject.split()[:1])


def test_default_configuration_passes_with_the_development_warnings(tmp_path):
    result = doctor(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert line(result, "configuration").startswith("ok")
    assert line(result, "ledger").startswith("ok") and "will be created" in line(result, "ledger")
    assert "Webhooks are not authenticated" in result.stdout
    assert "Sockets are not authenticated" in result.stdout
    assert "The merchant API is not authenticated" in result.stdout
    assert "simulate button is on" in result.stdout
    assert "The operator dashboard is off: set ADMIN_TOKEN (or MERCHANT_API_KEY)" in result.stdout
    assert result.stdout.strip().endswith("0 errors, 4 warnings")
    assert not (tmp_path / "ledger.sqlite").exists(), "doctor must not create the ledger"


def test_a_production_configuration_passes_without_warnings(tmp_path):
    certificate, key = self_signed_certificate(tmp_path)
    (tmp_path / ".env").write_text(f"PAYNOTIFY_ENV=production\nFRONTEND_URL=https://shop.example\nWEBHOOK_SECRET={STANDARD_SECRET}\n")
    result = doctor(tmp_path, env={"JWT_SECRET": JWT_SECRET, "TLS_CERT_PATH": str(certificate), "TLS_KEY_PATH": str(key), "METRICS_TOKEN": "x" * 20})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "production mode" in line(result, "configuration")
    assert "certificate and key load" in line(result, "tls")
    assert "HS256" in result.stdout and "standard secret loads" in result.stdout
    assert result.stdout.strip().endswith("0 errors, 0 warnings")


def test_the_dashboard_token_is_checked_and_named(tmp_path):
    result = doctor(tmp_path, env={"ADMIN_TOKEN": "short"})
    assert result.returncode == 1 and "ADMIN_TOKEN" in line(result, "configuration")
    result = doctor(tmp_path, env={"MERCHANT_API_KEY": "m" * 20})
    assert "Operator dashboard at /admin, logged in with MERCHANT_API_KEY" in result.stdout


@pytest.mark.parametrize(
    "env, dotenv, subject, words",
    [
        ({"PORT": "abc"}, "", "configuration", "PORT"),
        ({}, "this line is wrong\n", "configuration", ".env line 1"),
        ({"PAYNOTIFY_ENV": "production"}, "", "configuration", "WEBHOOK_SECRET"),
        ({"METRICS_TOKEN": "short"}, "", "configuration", "METRICS_TOKEN"),
        ({"DRAIN_TIMEOUT": "forever"}, "", "configuration", "DRAIN_TIMEOUT"),
        ({"LOG_FORMAT": "xml"}, "", "configuration", "LOG_FORMAT"),
        ({"DATABASE_PATH": "/nonexistent-directory/ledger.sqlite"}, "", "ledger", "does not exist"),
        ({"TLS_CERT_PATH": "/nonexistent.pem", "TLS_KEY_PATH": "/nonexistent.key"}, "", "tls", "TLS_CERT_PATH: cannot load a PEM certificate chain from /nonexistent.pem"),
        ({"JWT_PUBLIC_KEY": "-----BEGIN PUBLIC KEY-----\\nAAAA\\n-----END PUBLIC KEY-----"}, "", "socket", "JWT_PUBLIC_KEY"),
        ({"WEBHOOK_SECRET": "not-base64-whsec"}, "", "webhook", "WEBHOOK_SECRET"),
    ],
)
def test_a_bad_configuration_fails_naming_what_is_wrong(tmp_path, env, dotenv, subject, words):
    (tmp_path / ".env").write_text(dotenv)
    result = doctor(tmp_path, env=env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert line(result, subject).startswith("error"), result.stdout
    assert words in line(result, subject)
    assert "1 error" in result.stdout.splitlines()[-1]


def test_a_tls_key_that_is_not_a_key_is_an_error(tmp_path):
    certificate, _ = self_signed_certificate(tmp_path)
    result = doctor(tmp_path, env={"TLS_CERT_PATH": certificate, "TLS_KEY_PATH": certificate})
    assert result.returncode == 1
    assert f"TLS_KEY_PATH: cannot load a PEM private key from {certificate}" in line(result, "tls")


def test_a_ledger_path_that_is_a_directory_is_an_error(tmp_path):
    (tmp_path / "ledger.sqlite").mkdir()
    result = doctor(tmp_path)
    assert result.returncode == 1 and "is a directory" in line(result, "ledger")


def test_redis_reachable_or_not(tmp_path):
    unreachable = doctor(tmp_path, env={"REDIS_URL": f"redis://127.0.0.1:{free_port()}"})
    assert unreachable.returncode == 1
    assert line(unreachable, "redis").startswith("error") and "not reachable" in line(unreachable, "redis")
    redis = RedisServer(tmp_path).start()
    try:
        reachable = doctor(tmp_path, env={"REDIS_URL": redis.url})
        assert reachable.returncode == 0, reachable.stdout
        assert "answers PING" in line(reachable, "redis")
    finally:
        redis.stop()


def test_doctor_help_lists_the_operations_variables():
    result = subprocess.run([str(BINARY), "doctor", "--help"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0
    for name in ("LOG_FORMAT", "METRICS_TOKEN", "DRAIN_TIMEOUT", "DATABASE_PATH", "REDIS_URL"):
        assert name in result.stdout
