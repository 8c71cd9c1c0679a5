"""The deployment files: the env example names every variable, the systemd unit is valid and runs
PayNotify unprivileged, the Dockerfile builds the way the README says, the README links them all."""
import re
import shutil
import subprocess

import pytest

from conftest import BINARY, REPO

DEPLOY = REPO / "deploy"
README = (REPO / "README.md").read_text()


def variables_in_help():
    result = subprocess.run([str(BINARY), "serve", "--help"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0
    return set(re.findall(r"^ +([A-Z][A-Z0-9_]+): ", result.stdout, re.MULTILINE))


def test_the_env_example_names_every_variable():
    example = (DEPLOY / "paynotify.env.example").read_text()
    named = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", example, re.MULTILINE))
    expected = variables_in_help()
    assert len(expected) > 30
    assert expected <= named, f"missing from the env example: {sorted(expected - named)}"
    assert named <= expected, f"unknown in the env example: {sorted(named - expected)}"


def test_the_systemd_unit_runs_unprivileged_restarts_on_failure_and_reads_the_env_file(tmp_path):
    unit = (DEPLOY / "systemd" / "paynotify.service").read_text()
    for line in ("User=paynotify", "Restart=on-failure", "EnvironmentFile=/etc/paynotify/paynotify.env",
                 "ExecStart=/usr/local/bin/paynotify serve", "KillSignal=SIGTERM", "NoNewPrivileges=yes"):
        assert re.search(rf"^{re.escape(line)}$", unit, re.MULTILINE), line
    stop = int(re.search(r"^TimeoutStopSec=(\d+)s$", unit, re.MULTILINE).group(1))
    assert stop > 10, "systemd must give the drain (DRAIN_TIMEOUT, 10 s) time to finish"
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze not installed: the unit's syntax is not verified")
    local = tmp_path / "paynotify.service"
    local.write_text(unit.replace("/usr/local/bin/paynotify", str(BINARY)).replace("/etc/paynotify/paynotify.env", str(DEPLOY / "paynotify.env.example")))
    result = subprocess.run(["systemd-analyze", "verify", str(local)], capture_output=True, text=True, timeout=60)
    problems = [line for line in result.stderr.splitlines() if "paynotify.service" in line]
    assert not problems, result.stderr


def test_the_dockerfile_builds_as_the_readme_says_in_two_stages():
    dockerfile = (DEPLOY / "docker" / "Dockerfile").read_text()
    stages = re.findall(r"^FROM (\S+)", dockerfile, re.MULTILINE)
    assert stages[0].startswith("swift:6.") and len(stages) == 2 and not stages[1].startswith("swift")
    build = "swift build -c release --product paynotify --static-swift-stdlib"
    assert f"RUN {build}" in dockerfile
    assert build in README
    assert "cannot be built" in dockerfile
    assert re.search(r"^USER paynotify$", dockerfile, re.MULTILINE)


def test_the_readme_links_every_deployment_file():
    for path in ("deploy/systemd/paynotify.service", "deploy/docker/Dockerfile", "deploy/paynotify.env.example", "deploy/nginx/paynotify.conf"):
        assert f"]({path})" in README, path
        assert (REPO / path).exists(), path
