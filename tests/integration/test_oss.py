"""session.oss against the local server and its own object store, sync and async: env_init without an
endpoint, a round trip, a user program's oss2 on the same store (with the API key as its secret),
anonymous transfers through signed URLs, and each failure as a failed result with its cause."""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterator
from typing import Any

import oss2
import pytest

from agentbay import ToolError
from agentbay_local import LocalServer
from tests import _oss as oss_clients

from .conftest import KEY, OTHER_KEY

WRONG_SECRET = "not-the-api-key-0123456789"


@pytest.fixture(scope="module", autouse=True)
def _close_connections() -> Iterator[None]:
    yield
    oss_clients.SESSION.session.close()


@pytest.fixture
def bucket(server: LocalServer) -> Iterator[oss2.Bucket]:
    """A fresh bucket of KEY's account, made by a user program with oss2 (any access key id)."""
    made = oss_clients.bucket(
        oss2.Auth("user-program", KEY), server.oss_endpoint, f"b-{uuid.uuid4().hex[:12]}"
    )
    made.create_bucket()
    yield made
    for item in oss2.ObjectIterator(made):
        made.delete_object(item.key)
    made.delete_bucket()


@pytest.fixture
def oss(session: Any) -> Any:
    result = session.oss.env_init("agent", KEY)  # no endpoint: the local server's store
    assert result.success, result.error_message
    assert result.client_config
    return session.oss


def test_upload_then_download_round_trips_the_bytes(session: Any, oss: Any, bucket: oss2.Bucket) -> None:
    data = os.urandom(300_000)
    assert session.file_system.write_file("/home/wuying/up.bin", data).success
    up = oss.upload(bucket.bucket_name, "dir/up.bin", "/home/wuying/up.bin")
    assert up.success and "Upload success" in up.content, up.error_message
    assert bucket.get_object("dir/up.bin").read() == data  # the user's program sees it too
    down = oss.download(bucket.bucket_name, "dir/up.bin", "/home/wuying/down.bin")
    assert down.success and "Download success" in down.content, down.error_message
    assert session.file_system.read_file("/home/wuying/down.bin", format="bytes").content == data


def test_an_agent_downloads_what_a_user_program_put(session: Any, oss: Any, bucket: oss2.Bucket) -> None:
    bucket.put_object("reports/today.csv", b"name,total\nalpha,3\n")
    result = oss.download(bucket.bucket_name, "reports/today.csv", "/home/wuying/today.csv")
    assert result.success, result.error_message
    assert session.file_system.read_file("/home/wuying/today.csv").content == "name,total\nalpha,3\n"


def test_anonymous_transfers_through_signed_urls(session: Any, bucket: oss2.Bucket) -> None:
    """No env_init: a signed URL is all the session needs."""
    data = os.urandom(70_000)
    assert session.file_system.write_file("/tmp/a.bin", data).success
    put_url = bucket.sign_url("PUT", "anon/a.bin", 600)
    up = session.oss.upload_anonymous(put_url, "/tmp/a.bin")
    assert up.success and "Upload success" in up.content, up.error_message
    assert bucket.get_object("anon/a.bin").read() == data
    down = session.oss.download_anonymous(bucket.sign_url("GET", "anon/a.bin", 600), "/tmp/b.bin")
    assert down.success and "Download success" in down.content, down.error_message
    assert session.file_system.read_file("/tmp/b.bin", format="bytes").content == data


def failed(result: Any, *causes: str) -> str:
    assert not result.success and isinstance(result.error, ToolError), result
    assert result.content == "" and result.error_message == str(result.error)
    assert any(cause in result.error_message for cause in causes), result.error_message
    return str(result.error_message)


def test_failures_are_failed_results_with_their_cause(session: Any, oss: Any, bucket: oss2.Bucket) -> None:
    name = bucket.bucket_name
    assert session.file_system.write_file("/home/wuying/f.txt", "x").success
    failed(oss.download(name, "missing.txt", "/home/wuying/m.txt"), "NoSuchKey")
    failed(oss.upload(name + "-missing", "f.txt", "/home/wuying/f.txt"), "NoSuchBucket")
    failed(oss.upload(name, "f.txt", "/home/wuying/no-such-file.txt"), "No such file")
    failed(session.oss.upload_anonymous("http://127.0.0.1:1/b/k", "/home/wuying/f.txt"), "onnect")
    failed(session.oss.download_anonymous("http://127.0.0.1:1/b/k", "/home/wuying/g.txt"), "onnect")
    expired = bucket.sign_url("GET", "f.txt", -10)  # a signed URL that has expired
    failed(session.oss.download_anonymous(expired, "/home/wuying/g.txt"), "403", "AccessDenied")


def test_an_unreadable_session_path_is_refused(session: Any, oss: Any, bucket: oss2.Bucket) -> None:
    assert session.command.execute_command(
        "echo s > /home/wuying/secret.txt && chmod 000 /home/wuying/secret.txt"
    ).success
    if session.command.execute_command("cat /home/wuying/secret.txt").success:
        pytest.skip("the session runs as root here: every file is readable")
    failed(oss.upload(bucket.bucket_name, "s.txt", "/home/wuying/secret.txt"), "Permission denied")


def test_a_wrong_secret_is_refused_and_never_shown(
    session: Any, bucket: oss2.Bucket, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    assert session.file_system.write_file("/home/wuying/f.txt", "x").success
    assert session.oss.env_init("agent", WRONG_SECRET, "sts-token-0123456789").success
    result = session.oss.upload(bucket.bucket_name, "f.txt", "/home/wuying/f.txt")
    why = failed(result, "SignatureDoesNotMatch")
    for text in (why, repr(result), repr(session.oss), caplog.text):
        assert WRONG_SECRET not in text and "sts-token-0123456789" not in text


def test_one_key_never_reads_anothers_buckets(session: Any, bucket: oss2.Bucket) -> None:
    bucket.put_object("mine.txt", b"mine")
    assert session.oss.env_init("agent", OTHER_KEY).success  # the other key's account
    result = session.oss.download(bucket.bucket_name, "mine.txt", "/home/wuying/theirs.txt")
    failed(result, "AccessDenied", "NoSuchBucket")
