"""`paynotify serve` configuration (flags > environment > .env) and the `webhook` / `watch`
commands, run as a user would."""
import os
import subprocess
import urllib.request

import pytest

from conftest import BINARY, ServerProcess, free_port


def start_without_port_flag(tmp_path, expected_port, env=None, args=()):
    server = ServerProcess(["serve", "--host", "127.0.0.1", *args], tmp_path / "serve.log", cwd=tmp_path, port=expected_port, port_flag=False)
    server.env = {key: value for key, value in os.environ.items() if key != "PORT"}
    server.env.update(env or {})
    return server.start(ready_path="/healthz")


def test_dot_env_is_read_from_the_working_directory(tmp_path):
    port = free_port()
    (tmp_path / ".env").write_text(f"# PayNotify\nPORT={port}\nDATABASE_PATH=from-dotenv.sqlite\n")
    server = start_without_port_flag(tmp_path, port)
    server.stop()
    assert (tmp_path / "from-dotenv.sqlite").exists()


def test_environment_wins_over_dot_env_and_flags_win_over_both(tmp_path):
    dotenv_port, env_port, flag_port = free_port(), free_port(), free_port()
    (tmp_path / ".env").write_text(f"PORT={dotenv_port}\n")
    server = start_without_port_flag(tmp_path, env_port, env={"PORT": str(env_port)})
    server.stop()
    server = start_without_port_flag(tmp_path, flag_port, env={"PORT": str(env_port)}, args=("--port", str(flag_port)))
    server.stop()


@pytest.mark.parametrize(
    "env, dotenv, named",
    [
        ({"PORT": "abc"}, "", "PORT"),
        ({"FRONTEND_URL": "not a url"}, "", "FRONTEND_URL"),
        ({"POLL_INTERVAL": "soon"}, "", "POLL_INTERVAL"),
        ({"LOG_LEVEL": "loud"}, "", "LOG_LEVEL"),
        ({"REDIS_ADAPTER": "cluster"}, "", "REDIS_ADAPTER"),
        ({}, "PORT=1\nthis line is wrong\n", ".env line 2"),
    ],
)
def test_invalid_configuration_stops_start_up_naming_the_variable(tmp_path, env, dotenv, named):
    (tmp_path / ".env").write_text(dotenv)
    environment = {key: value for key, value in os.environ.items() if key != "PORT"}
    result = subprocess.run([str(BINARY), "serve"], cwd=tmp_path, env={**environment, **env}, capture_output=True, text=True, timeout=30)
    assert result.returncode != 0
    assert named in result.stderr, result.stderr


def test_serve_help_documents_every_variable():
    result = subprocess.run([str(BINARY), "serve", "--help"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0
    for name in ["PORT", "HOST", "FRONTEND_URL", "PAYMENT_API_KEY", "PAYMENT_API_URL", "PAYMENT_API_MAPPING",
                 "POLL_INTERVAL", "POLL_TIMEOUT", "POLL_CONCURRENCY", "DATABASE_PATH", "LOG_LEVEL",
                 "WEBHOOK_MAX_BODY_BYTES", "RETENTION_DAYS"]:
        assert name in result.stdout, name


def test_watch_and_webhook_commands_show_the_whole_loop(tmp_path):
    server = ServerProcess(["serve", "--host", "127.0.0.1"], tmp_path / "serve.log", cwd=tmp_path).start(ready_path="/healthz")
    try:
        watch = subprocess.Popen(
            [str(BINARY), "watch", "--booking", "test-booking-123", "--url", server.url, "--until-paid", "--timeout", "20"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        try:
            assert "subscribed" in watch.stdout.readline() + watch.stdout.readline()
            posted = subprocess.run(
                [str(BINARY), "webhook", "--booking", "test-booking-123", "--transaction", "test-txn-456",
                 "--amount", "500000", "--url", server.url + "/webhook/payment"],
                capture_output=True, text=True, timeout=30,
            )
            assert posted.returncode == 0
            assert posted.stdout.strip() == 'HTTP 200 {"success":true}'
            output, _ = watch.communicate(timeout=20)
            assert watch.returncode == 0
            assert 'transaction_success {"bookingId":"test-booking-123","transactionId":"test-txn-456","amount":500000,' in output
            assert 'payment_confirmed {"bookingId":"test-booking-123","transactionId":"test-txn-456","amount":500000,"confirmed":true}' in output
        finally:
            if watch.poll() is None:
                watch.kill()
                watch.wait()
        again = subprocess.run(
            [str(BINARY), "webhook", "--booking", "test-booking-123", "--transaction", "test-txn-456",
             "--amount", "500000", "--url", server.url + "/webhook/payment"],
            capture_output=True, text=True, timeout=30,
        )
        assert again.stdout.strip() == 'HTTP 200 {"duplicate":true,"success":true}'
        bad = subprocess.run([str(BINARY), "webhook", "--booking", "b", "--transaction", "t", "--amount", "-5"], capture_output=True, text=True, timeout=30)
        assert bad.returncode != 0 and "--amount" in bad.stderr
    finally:
        server.stop()
