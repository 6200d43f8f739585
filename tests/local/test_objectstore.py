"""The local object store with the real OSS client library (oss2) as the client: every operation,
accounts (= API keys) and their isolation, signatures in headers and signed URLs, errors as oss2's
exception classes, multipart through resumable_upload, persistence across a restart, and a big object
streamed without holding it in memory."""

from __future__ import annotations

import base64
import contextlib
import email.utils
import hashlib
import hmac
import os
import re
import signal
import socket
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import httpx
import oss2
import pytest

from agentbay_local import LocalServer
from agentbay_local.objectstore import _app as objectstore_app
from agentbay_local.objectstore import _crc
from tests import _oss as oss_clients

REPO = Path(__file__).resolve().parents[2]
KEY_A = "akm-objectstore-a"
KEY_B = "akm-objectstore-b"


@pytest.fixture(scope="module", autouse=True)
def _close_connections() -> Iterator[None]:
    yield
    oss_clients.SESSION.session.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    with LocalServer(tmp_path_factory.mktemp("state"), api_keys=[KEY_A, KEY_B]) as running:
        yield running


_names = iter(range(10_000))


@pytest.fixture
def bucket(server: LocalServer) -> oss2.Bucket:
    """A new bucket of KEY_A's, its own for the test."""
    made = oss_clients.bucket(oss2.Auth("test-id", KEY_A), server.oss_endpoint, f"bucket-{next(_names):04d}")
    made.create_bucket()
    return made


def _other(bucket: oss2.Bucket, auth: Any, name: str | None = None) -> oss2.Bucket:
    return oss_clients.bucket(auth, bucket.endpoint, name or bucket.bucket_name)


def _md5_hex(data: bytes) -> str:
    return hashlib.md5(data).hexdigest().upper()


def _crc64(data: bytes) -> int:
    crc = oss2.utils.Crc64(0)
    crc.update(data)
    return int(crc.crc)


# ---- wiring ------------------------------------------------------------------------------------------


def test_the_store_has_its_own_port_and_the_actions_know_its_url(server: LocalServer) -> None:
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", server.oss_endpoint)
    assert server.oss_endpoint != server.endpoint
    assert server._service is not None
    assert server._service.actions.oss_endpoint == server.oss_endpoint


def test_cli_serve_prints_the_store_endpoint_and_a_program_uses_it(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "agentbay.cli", "local", "serve", "--port", "0", "--oss-port", str(port),
         "--state-dir", str(tmp_path / "state"), "--api-key", KEY_A],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(3)]
        assert lines[0].startswith("AgentBay local server at http://127.0.0.1:")
        assert lines[2].strip().startswith("export AGENTBAY_ENDPOINT=")
        assert KEY_A not in "".join(lines)
        oss_line = proc.stdout.readline()
        assert oss_line.rstrip().endswith(f"at http://127.0.0.1:{port}"), oss_line
        bucket = oss_clients.bucket(oss2.Auth("id", KEY_A), f"http://127.0.0.1:{port}", "cli-bucket")
        bucket.create_bucket()
        bucket.put_object("k", b"v")
        assert bucket.get_object("k").read() == b"v"
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0 and "Traceback" not in err
    assert KEY_A not in err


# ---- buckets -----------------------------------------------------------------------------------------


def test_buckets_are_created_listed_described_and_deleted(server: LocalServer) -> None:
    auth = oss2.Auth("id", KEY_A)
    bucket = oss_clients.bucket(auth, server.oss_endpoint, "lifecycle-bucket")
    bucket.create_bucket()
    bucket.create_bucket()  # its owner creating it again: 200, as OSS
    names = [b.name for b in oss_clients.service(auth, server.oss_endpoint).list_buckets().buckets]
    assert "lifecycle-bucket" in names
    info = bucket.get_bucket_info()
    assert (info.name, info.storage_class) == ("lifecycle-bucket", "Standard")
    assert bucket.get_bucket_location().location == "oss-local"
    page = oss_clients.service(auth, server.oss_endpoint).list_buckets(prefix="lifecycle-")
    assert [b.name for b in page.buckets] == ["lifecycle-bucket"]
    bucket.delete_bucket()
    with pytest.raises(oss2.exceptions.NoSuchBucket):
        bucket.get_bucket_info()
    with pytest.raises(oss2.exceptions.NoSuchBucket):
        bucket.delete_bucket()
    with pytest.raises(oss2.exceptions.NoSuchBucket):
        bucket.put_object("k", b"v")


def test_a_bucket_with_objects_is_not_deleted_and_a_deleted_bucket_leaves_no_files(
    server: LocalServer, bucket: oss2.Bucket
) -> None:
    bucket.put_object("a", b"1")
    with pytest.raises(oss2.exceptions.BucketNotEmpty) as refused:
        bucket.delete_bucket()
    assert refused.value.status == 409
    data = server.state_dir / "objectstore" / "data"
    before = set(os.listdir(data))
    upload_id = bucket.init_multipart_upload("pending").upload_id
    bucket.upload_part("pending", upload_id, 1, b"part")
    bucket.delete_object("a")
    bucket.delete_bucket()  # the unfinished upload goes with it
    assert len(before - set(os.listdir(data))) == 1


def test_bucket_names_are_checked(server: LocalServer) -> None:
    response = httpx.put(_signed_url(server, "PUT", "Bad_Name", ""))
    assert response.status_code == 400
    assert _code(response) == "InvalidBucketName"


# ---- objects -----------------------------------------------------------------------------------------


def test_put_get_head_and_delete_an_object_with_its_metadata(bucket: oss2.Bucket) -> None:
    data = b"hello object store"
    put = bucket.put_object(
        "docs/hello.txt", data, headers={"Content-Type": "text/x-test", "x-oss-meta-Author": "me"}
    )
    assert put.etag == _md5_hex(data)
    if _crc.new_crc64() is not None:
        assert put.crc == _crc64(data)
    got = bucket.get_object("docs/hello.txt")
    assert got.read() == data
    assert got.headers["Content-Type"] == "text/x-test"
    assert got.headers["x-oss-meta-author"] == "me"
    assert got.headers["ETag"] == f'"{_md5_hex(data)}"'
    assert got.headers["x-oss-request-id"]
    head = bucket.head_object("docs/hello.txt")
    assert (head.content_length, head.etag, head.object_type) == (len(data), _md5_hex(data), "Normal")
    meta = bucket.get_object_meta("docs/hello.txt")
    meta.resp.read()  # oss2 leaves the (empty) body of a GetObjectMeta unread, and the connection busy
    assert meta.content_length == len(data)
    assert _exists(bucket, "docs/hello.txt")
    bucket.put_object("docs/hello.txt", b"v2")  # replaced whole
    assert bucket.get_object("docs/hello.txt").read() == b"v2"
    deleted = bucket.delete_object("docs/hello.txt")
    # Content-Length: 0 as OSS sends it: oss2 reads (frees the connection of) only such a reply.
    assert (deleted.status, deleted.headers["Content-Length"]) == (204, "0")
    assert bucket.delete_object("docs/hello.txt").status == 204  # missing: 204 too, as OSS
    assert not _exists(bucket, "docs/hello.txt")
    with pytest.raises(oss2.exceptions.NoSuchKey):
        bucket.get_object("docs/hello.txt")
    with pytest.raises(oss2.exceptions.NoSuchKey):  # HEAD: the error travels in x-oss-err
        bucket.head_object("docs/hello.txt")


def test_keys_may_hold_any_character(bucket: oss2.Bucket) -> None:
    keys = ["a b+c?d=e&f#g%20h", "dir//double/", "ünï/cødé ✓", "ctl\x01char", "x" * 1000]
    for key in keys:
        bucket.put_object(key, key.encode())
    for key in keys:
        assert bucket.get_object(key).read() == key.encode()
    listed = [obj.key for obj in oss2.ObjectIterator(bucket)]
    assert listed == sorted(keys, key=lambda k: k.encode())
    with pytest.raises(oss2.exceptions.OssError) as too_long:
        bucket.put_object("k" * 1024, b"")
    assert too_long.value.code == "InvalidObjectName"


def test_content_md5_is_checked_and_a_refused_body_leaves_nothing(
    server: LocalServer, bucket: oss2.Bucket
) -> None:
    data = b"checked"
    good = base64.b64encode(hashlib.md5(data).digest()).decode()
    bucket.put_object("md5", data, headers={"Content-MD5": good})
    wrong = base64.b64encode(hashlib.md5(b"other").digest()).decode()
    with pytest.raises(oss2.exceptions.InvalidDigest):
        bucket.put_object("md5-wrong", data, headers={"Content-MD5": wrong})
    with pytest.raises(oss2.exceptions.InvalidDigest):
        bucket.put_object("md5-wrong", data, headers={"Content-MD5": "not base64!"})
    assert not _exists(bucket, "md5-wrong")
    assert os.listdir(server.state_dir / "objectstore" / "tmp") == []


def test_a_body_cut_short_leaves_no_object_and_no_temp_file(server: LocalServer, bucket: oss2.Bucket) -> None:
    tmp = server.state_dir / "objectstore" / "tmp"
    with _partial_put(server, bucket, "cut", 10_000_000, 3_000_000):
        _wait_for(lambda: bool(os.listdir(tmp)))  # the body is being written
    _wait_for(lambda: not os.listdir(tmp))  # the client went away: its temp file is gone
    assert not _exists(bucket, "cut")


def test_bodies_written_at_once_are_bounded(
    monkeypatch: pytest.MonkeyPatch, server: LocalServer, bucket: oss2.Bucket
) -> None:
    monkeypatch.setattr(objectstore_app, "MAX_IN_FLIGHT", 1)
    tmp = server.state_dir / "objectstore" / "tmp"
    with _partial_put(server, bucket, "slow", 1_000_000, 10):
        _wait_for(lambda: bool(os.listdir(tmp)))
        with pytest.raises(oss2.exceptions.ServerError) as refused:
            bucket.put_object("second", b"waits its turn")
        assert (refused.value.status, refused.value.code) == (503, "SlowDown")
    _wait_for(lambda: not os.listdir(tmp))
    bucket.put_object("second", b"waits its turn")
    assert not _exists(bucket, "slow")


@contextlib.contextmanager
def _partial_put(
    server: LocalServer, bucket: oss2.Bucket, key: str, declared: int, sent: int
) -> Iterator[None]:
    """A PUT (signed URL) that declares `declared` bytes, sends `sent`, and goes away when the block ends."""
    target = httpx.URL(_signed_url(server, "PUT", bucket.bucket_name, key))
    with socket.create_connection((target.host, target.port)) as sock:
        head = f"PUT {target.raw_path.decode()} HTTP/1.1\r\nHost: x\r\nContent-Length: {declared}\r\n\r\n"
        sock.sendall(head.encode() + b"x" * sent)
        yield


def _wait_for(condition: Callable[[], bool], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_ranges_206_and_416_as_oss(bucket: oss2.Bucket) -> None:
    data = bytes(range(256)) * 4
    bucket.put_object("r", data)
    part = bucket.get_object("r", byte_range=(10, 19))
    assert (part.status, part.read()) == (206, data[10:20])
    assert part.headers["Content-Range"] == f"bytes 10-19/{len(data)}"
    assert bucket.get_object("r", byte_range=(1000, None)).read() == data[1000:]
    assert bucket.get_object("r", byte_range=(None, 5)).read() == data[-5:]
    assert bucket.get_object("r", byte_range=(1000, 5000)).read() == data[1000:]
    # Past the end: OSS sends the whole object, unless told to behave as HTTP says.
    whole = bucket.get_object("r", byte_range=(5000, 6000))
    assert (whole.status, whole.read()) == (200, data)
    with pytest.raises(oss2.exceptions.ServerError) as refused:
        bucket.get_object("r", byte_range=(5000, 6000), headers={"x-oss-range-behavior": "standard"})
    assert (refused.value.status, refused.value.code) == (416, "InvalidRange")


def test_conditional_gets(bucket: oss2.Bucket) -> None:
    bucket.put_object("c", b"conditional")
    etag = bucket.head_object("c").etag
    assert bucket.get_object("c", headers={"If-Match": etag}).read() == b"conditional"
    with pytest.raises(oss2.exceptions.PreconditionFailed):
        bucket.get_object("c", headers={"If-Match": "0" * 32})
    with pytest.raises(oss2.exceptions.NotModified):
        bucket.get_object("c", headers={"If-None-Match": f'"{etag}"'})
    later = email.utils.formatdate(time.time() + 60, usegmt=True)
    with pytest.raises(oss2.exceptions.NotModified):
        bucket.get_object("c", headers={"If-Modified-Since": later})
    earlier = email.utils.formatdate(time.time() - 60, usegmt=True)
    with pytest.raises(oss2.exceptions.PreconditionFailed):
        bucket.get_object("c", headers={"If-Unmodified-Since": earlier})
    assert bucket.get_object("c", headers={"If-Modified-Since": earlier}).read() == b"conditional"


def test_get_object_to_file_checks_crc(tmp_path: Path, bucket: oss2.Bucket) -> None:
    data = os.urandom(300_000)
    bucket.put_object("f", data)
    head = bucket.head_object("f")
    if _crc.new_crc64() is None:
        assert head.server_crc is None
    else:
        assert head.server_crc == _crc64(data)
    bucket.get_object_to_file("f", str(tmp_path / "f"))  # raises InconsistentError on a CRC mismatch
    assert (tmp_path / "f").read_bytes() == data


def test_copy_object_keeps_or_replaces_metadata(bucket: oss2.Bucket) -> None:
    bucket.put_object("src", b"copied", headers={"Content-Type": "text/plain", "x-oss-meta-k": "v"})
    bucket.copy_object(bucket.bucket_name, "src", "dst")
    got = bucket.get_object("dst")
    assert (got.read(), got.headers["x-oss-meta-k"], got.headers["Content-Type"]) == (
        b"copied",
        "v",
        "text/plain",
    )
    bucket.copy_object(
        bucket.bucket_name,
        "src",
        "dst2",
        headers={"x-oss-metadata-directive": "REPLACE", "x-oss-meta-n": "w"},
    )
    head = bucket.head_object("dst2")
    assert head.headers.get("x-oss-meta-n") == "w" and "x-oss-meta-k" not in head.headers
    with pytest.raises(oss2.exceptions.NoSuchKey):
        bucket.copy_object(bucket.bucket_name, "missing", "dst3")


def test_delete_multiple_objects(bucket: oss2.Bucket) -> None:
    for key in ("a", "b", "c"):
        bucket.put_object(key, key.encode())
    result = bucket.batch_delete_objects(["a", "b", "never"])
    assert sorted(result.deleted_keys) == ["a", "b", "never"]
    assert [obj.key for obj in oss2.ObjectIterator(bucket)] == ["c"]


# ---- listings ----------------------------------------------------------------------------------------

_TREE = ["a.txt", "dir/1", "dir/2", "dir/sub/3", "dir2/x", "e", "f/g/h", "z"]


def test_list_objects_v1_prefix_delimiter_marker_and_pages(bucket: oss2.Bucket) -> None:
    for key in _TREE:
        bucket.put_object(key, b"x")
    assert [o.key for o in oss2.ObjectIterator(bucket, max_keys=3)] == _TREE
    top = bucket.list_objects(delimiter="/")
    assert [o.key for o in top.object_list] == ["a.txt", "e", "z"]
    assert top.prefix_list == ["dir/", "dir2/", "f/"]
    inner = bucket.list_objects(prefix="dir/", delimiter="/")
    assert ([o.key for o in inner.object_list], inner.prefix_list) == (["dir/1", "dir/2"], ["dir/sub/"])
    # Pages of 2 entries (keys and common prefixes together), resumed at NextMarker.
    entries = [
        obj.key if not obj.is_prefix() else obj.key + "(prefix)"
        for obj in oss2.ObjectIterator(bucket, delimiter="/", max_keys=2)
    ]
    assert entries == ["a.txt", "dir/(prefix)", "dir2/(prefix)", "e", "f/(prefix)", "z"]
    first = bucket.list_objects(max_keys=2)
    assert (first.is_truncated, first.next_marker) == (True, "dir/1")
    after = bucket.list_objects(marker="dir/sub/3")
    assert [o.key for o in after.object_list] == ["dir2/x", "e", "f/g/h", "z"] and not after.is_truncated
    obj = first.object_list[0]
    assert (obj.size, obj.etag, obj.type, obj.storage_class) == (1, _md5_hex(b"x"), "Normal", "Standard")
    with pytest.raises(oss2.exceptions.InvalidArgument):
        bucket.list_objects(max_keys=5000)


def test_list_objects_v2_continuation_and_start_after(bucket: oss2.Bucket) -> None:
    for key in _TREE:
        bucket.put_object(key, b"x")
    assert [o.key for o in oss2.ObjectIteratorV2(bucket, max_keys=3)] == _TREE
    entries = [o.key for o in oss2.ObjectIteratorV2(bucket, delimiter="/", max_keys=1)]
    assert entries == ["a.txt", "dir/", "dir2/", "e", "f/", "z"]
    started = bucket.list_objects_v2(start_after="dir2/x")
    assert [o.key for o in started.object_list] == ["e", "f/g/h", "z"]
    page = bucket.list_objects_v2(prefix="dir", max_keys=2)
    assert page.is_truncated and page.next_continuation_token
    rest = bucket.list_objects_v2(prefix="dir", continuation_token=page.next_continuation_token)
    assert [o.key for o in page.object_list + rest.object_list] == ["dir/1", "dir/2", "dir/sub/3", "dir2/x"]


# ---- multipart ---------------------------------------------------------------------------------------


def test_resumable_upload_goes_multipart_and_reads_back(tmp_path: Path, bucket: oss2.Bucket) -> None:
    data = os.urandom(350 * 1024)
    path = tmp_path / "big.bin"
    path.write_bytes(data)
    oss2.resumable_upload(
        bucket, "big.bin", str(path), multipart_threshold=100 * 1024, part_size=100 * 1024, num_threads=2,
        store=oss2.ResumableStore(root=str(tmp_path)),
    )  # fmt: skip
    head = bucket.head_object("big.bin")
    assert head.object_type == "Multipart"
    assert re.fullmatch(r"[0-9A-F]{32}-4", head.etag)
    assert bucket.get_object("big.bin").read() == data
    oss2.resumable_download(bucket, "big.bin", str(tmp_path / "back.bin"), multiget_threshold=100 * 1024,
                            part_size=100 * 1024, store=oss2.ResumableDownloadStore(root=str(tmp_path)))  # fmt: skip
    assert (tmp_path / "back.bin").read_bytes() == data


def test_multipart_parts_list_abort_and_refusals(bucket: oss2.Bucket) -> None:
    upload_id = bucket.init_multipart_upload("mp", headers={"Content-Type": "text/x-mp"}).upload_id
    small = bucket.upload_part("mp", upload_id, 1, b"small")
    second = bucket.upload_part("mp", upload_id, 2, b"last")
    parts = bucket.list_parts("mp", upload_id).parts
    assert [(p.part_number, p.etag, p.size) for p in parts] == [(1, small.etag, 5), (2, second.etag, 4)]
    with pytest.raises(oss2.exceptions.OssError) as too_small:
        bucket.complete_multipart_upload(
            "mp", upload_id, [oss2.models.PartInfo(1, small.etag), oss2.models.PartInfo(2, second.etag)]
        )
    assert too_small.value.code == "EntityTooSmall"
    with pytest.raises(oss2.exceptions.OssError) as wrong_etag:
        bucket.complete_multipart_upload("mp", upload_id, [oss2.models.PartInfo(1, "0" * 32)])
    assert wrong_etag.value.code == "InvalidPart"
    done = bucket.complete_multipart_upload("mp", upload_id, [oss2.models.PartInfo(2, second.etag)])
    assert done.status == 200
    got = bucket.get_object("mp")
    assert (got.read(), got.headers["Content-Type"]) == (b"last", "text/x-mp")
    with pytest.raises(oss2.exceptions.NoSuchUpload):
        bucket.list_parts("mp", upload_id)
    aborted = bucket.init_multipart_upload("gone").upload_id
    bucket.upload_part("gone", aborted, 1, b"x")
    bucket.abort_multipart_upload("gone", aborted)
    with pytest.raises(oss2.exceptions.NoSuchUpload):
        bucket.upload_part("gone", aborted, 2, b"x")
    with pytest.raises(oss2.exceptions.NoSuchUpload):
        bucket.abort_multipart_upload("gone", aborted)
    assert not _exists(bucket, "gone")


# ---- accounts and signatures -------------------------------------------------------------------------


def test_each_key_is_an_account_that_never_sees_another(server: LocalServer) -> None:
    a, b = oss2.Auth("same-id", KEY_A), oss2.Auth("same-id", KEY_B)
    mine = oss_clients.bucket(a, server.oss_endpoint, "shared-name")
    theirs = oss_clients.bucket(b, server.oss_endpoint, "shared-name")
    mine.create_bucket()
    with pytest.raises(oss2.exceptions.NoSuchBucket):
        theirs.put_object("k", b"theirs")
    theirs.create_bucket()  # the same name: a bucket of its own
    mine.put_object("k", b"mine")
    theirs.put_object("k", b"theirs")
    assert mine.get_object("k").read() == b"mine"
    assert theirs.get_object("k").read() == b"theirs"
    listed_b = [x.name for x in oss_clients.service(b, server.oss_endpoint).list_buckets().buckets]
    assert listed_b == ["shared-name"]
    # Any non-empty access key id: the secret alone is the account.
    assert (
        oss_clients.bucket(oss2.Auth("another-id", KEY_A), server.oss_endpoint, "shared-name")
        .get_object("k")
        .read()
        == b"mine"
    )


def test_a_wrong_secret_or_no_credentials_is_refused(server: LocalServer, bucket: oss2.Bucket) -> None:
    bucket.put_object("k", b"v")
    wrong = _other(bucket, oss2.Auth("test-id", "not-a-key"))
    with pytest.raises(oss2.exceptions.SignatureDoesNotMatch) as refused:
        wrong.get_object("k")
    assert refused.value.status == 403
    assert refused.value.request_id
    assert KEY_A not in str(refused.value.details) and "not-a-key" not in str(refused.value.details)
    with pytest.raises(oss2.exceptions.AccessDenied):
        _other(bucket, oss2.AnonymousAuth()).get_object("k")
    with pytest.raises(oss2.exceptions.SignatureDoesNotMatch):
        oss_clients.service(oss2.Auth("id", "not-a-key"), server.oss_endpoint).list_buckets()


def test_a_request_from_a_skewed_clock_is_refused(
    monkeypatch: pytest.MonkeyPatch, bucket: oss2.Bucket
) -> None:
    monkeypatch.setattr(
        oss2.utils, "http_date", lambda: email.utils.formatdate(time.time() - 3600, usegmt=True)
    )
    with pytest.raises(oss2.exceptions.OssError) as refused:
        bucket.get_object("k")
    assert (refused.value.status, refused.value.code) == (403, "RequestTimeTooSkewed")


def test_a_security_token_is_accepted_and_signed(bucket: oss2.Bucket) -> None:
    sts = _other(bucket, oss2.StsAuth("sts-id", KEY_A, "token-value"))
    sts.put_object("sts", b"with a token")
    assert sts.get_object("sts").read() == b"with a token"
    assert httpx.get(sts.sign_url("GET", "sts", 60)).content == b"with a token"


def test_a_refused_signature_never_shows_the_security_token(bucket: oss2.Bucket) -> None:
    wrong = _other(bucket, oss2.StsAuth("sts-id", "not-a-key", "secret-token-value"))
    with pytest.raises(oss2.exceptions.SignatureDoesNotMatch) as refused:
        wrong.get_object("k")
    assert "x-oss-security-token:***" in refused.value.details["StringToSign"]
    response = httpx.get(wrong.sign_url("GET", "k", 60))
    assert _code(response) == "SignatureDoesNotMatch"
    assert b"secret-token-value" not in response.content and b"security-token=***" in response.content


def test_signed_urls_get_and_put_and_expire(bucket: oss2.Bucket) -> None:
    bucket.put_object("shared", b"downloaded")
    url = bucket.sign_url("GET", "shared", 60)
    assert "Signature=" in url and "OSSAccessKeyId=" in url
    response = httpx.get(url)
    assert (response.status_code, response.content) == (200, b"downloaded")
    assert response.headers["x-oss-request-id"]
    put = httpx.put(bucket.sign_url("PUT", "uploaded", 60), content=b"uploaded through a URL")
    assert put.status_code == 200 and put.headers["ETag"] == f'"{_md5_hex(b"uploaded through a URL")}"'
    assert bucket.get_object("uploaded").read() == b"uploaded through a URL"
    # A URL signed for GET does not upload; one with a changed signature or expired is refused.
    assert _code(httpx.put(url, content=b"x")) == "SignatureDoesNotMatch"
    tampered = re.sub(r"Signature=[^&]+", "Signature=AAAA", url)
    assert _code(httpx.get(tampered)) == "SignatureDoesNotMatch"
    expired = httpx.get(bucket.sign_url("GET", "shared", -5))
    assert expired.status_code == 403
    assert _code(expired) == "AccessDenied"
    assert "expired" in _xml(expired).findtext("Message", "")
    # oss2's own helpers for signed URLs work too.
    assert bucket.get_object_with_url(url).read() == b"downloaded"


def test_signature_v4_in_headers_and_signed_urls(tmp_path: Path, bucket: oss2.Bucket) -> None:
    v4 = oss_clients.bucket(
        oss2.AuthV4("v4-id", KEY_A), bucket.endpoint, bucket.bucket_name, region="cn-hangzhou"
    )
    key = "v4 dir/ünï+code?.txt"
    v4.put_object(key, b"signed v4", headers={"Content-Type": "text/plain", "x-oss-meta-v": "4"})
    assert bucket.get_object(key).read() == b"signed v4"  # the same account as with V1
    listing = v4.list_objects_v2(prefix="v4 ", delimiter="/")
    assert listing.prefix_list == ["v4 dir/"]
    data = os.urandom(250 * 1024)
    (tmp_path / "f").write_bytes(data)
    oss2.resumable_upload(v4, "mp", str(tmp_path / "f"), multipart_threshold=100 * 1024, part_size=100 * 1024,
                          store=oss2.ResumableStore(root=str(tmp_path)))  # fmt: skip
    assert v4.get_object("mp").read() == data
    assert httpx.get(v4.sign_url("GET", key, 60)).content == b"signed v4"
    assert httpx.put(v4.sign_url("PUT", "by-url", 60), content=b"put").status_code == 200
    assert bucket.get_object("by-url").read() == b"put"
    expired = httpx.get(v4.sign_url("GET", key, -10))
    assert (expired.status_code, _code(expired)) == (403, "AccessDenied")
    sts = oss_clients.bucket(
        oss2.StsAuth("sts", KEY_A, "tok", auth_version="v4"), bucket.endpoint, bucket.bucket_name, region="r"
    )
    assert sts.get_object(key).read() == b"signed v4"
    wrong = oss_clients.bucket(
        oss2.AuthV4("v4-id", "not-a-key"), bucket.endpoint, bucket.bucket_name, region="r"
    )
    with pytest.raises(oss2.exceptions.SignatureDoesNotMatch):
        wrong.get_object(key)
    other = oss_clients.bucket(oss2.AuthV4("v4-id", KEY_B), bucket.endpoint, bucket.bucket_name, region="r")
    with pytest.raises(oss2.exceptions.NoSuchBucket):
        other.get_object(key)


# ---- errors ------------------------------------------------------------------------------------------


def test_errors_are_oss_xml_with_a_request_id(server: LocalServer, bucket: oss2.Bucket) -> None:
    response = httpx.get(_signed_url(server, "GET", bucket.bucket_name, "missing"))
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/xml")
    error = _xml(response)
    assert error.tag == "Error"
    assert (error.findtext("Code"), error.findtext("Key")) == ("NoSuchKey", "missing")
    assert error.findtext("RequestId") == response.headers["x-oss-request-id"]
    assert error.findtext("HostId")
    with pytest.raises(oss2.exceptions.ServerError) as unsupported:
        bucket.put_object_acl("x", oss2.OBJECT_ACL_PUBLIC_READ)
    assert (unsupported.value.status, unsupported.value.code) == (501, "NotImplemented")


# ---- persistence and size ----------------------------------------------------------------------------


def test_buckets_objects_and_uploads_survive_a_restart(tmp_path: Path) -> None:
    state = tmp_path / "state"
    with LocalServer(state, api_keys=[KEY_A]) as first:
        bucket = oss_clients.bucket(oss2.Auth("id", KEY_A), first.oss_endpoint, "kept")
        bucket.create_bucket()
        bucket.put_object("k", b"persisted", headers={"x-oss-meta-m": "1"})
        upload_id = bucket.init_multipart_upload("later").upload_id
        bucket.upload_part("later", upload_id, 1, b"part one")
    # What a crash leaves, a minute old or more: removed at the next start. A young one may be another
    # server's (on the same state directory) upload in progress: kept.
    old, young = (
        state / "objectstore" / "tmp" / "left-by-a-crash.part",
        state / "objectstore" / "tmp" / "young.part",
    )
    old.write_bytes(b"x")
    young.write_bytes(b"x")
    os.utime(old, (time.time() - 120, time.time() - 120))
    stray = next((state / "objectstore" / "data").iterdir()) / "stray"
    stray.write_bytes(b"x")
    os.utime(stray, (time.time() - 120, time.time() - 120))
    with LocalServer(state, api_keys=[KEY_A]) as second:
        bucket = oss_clients.bucket(oss2.Auth("id", KEY_A), second.oss_endpoint, "kept")
        got = bucket.get_object("k")
        assert (got.read(), got.headers["x-oss-meta-m"]) == (b"persisted", "1")
        assert [p.part_number for p in bucket.list_parts("later", upload_id).parts] == [1]
        assert os.listdir(state / "objectstore" / "tmp") == ["young.part"]
        assert not stray.exists()


def test_a_64_mib_object_is_streamed_not_held_in_memory(tmp_path: Path, bucket: oss2.Bucket) -> None:
    size = 64 * 1024 * 1024
    path = tmp_path / "big"
    with open(path, "wb") as out:
        chunk = os.urandom(1 << 20)
        for _ in range(size >> 20):
            out.write(chunk)
    started = not tracemalloc.is_tracing()  # PYTHONTRACEMALLOC may have started it: growth is measured
    if started:
        tracemalloc.start()
    try:
        before = _reset_peak()
        with open(path, "rb") as body:
            put = bucket.put_object("big", body)
        put_growth = tracemalloc.get_traced_memory()[1] - before
        before = _reset_peak()
        digest = hashlib.md5()
        received = 0
        for piece in bucket.get_object("big"):
            digest.update(piece)
            received += len(piece)
        get_growth = tracemalloc.get_traced_memory()[1] - before
    finally:
        if started:
            tracemalloc.stop()
    # Client and server both run here: a few megabytes in flight at most, never the object's size.
    assert put_growth < 24 * 1024 * 1024, put_growth
    assert get_growth < 24 * 1024 * 1024, get_growth
    assert received == size
    assert put.etag == digest.hexdigest().upper()


def _reset_peak() -> int:
    """The traced memory now, which is also the peak from now on."""
    tracemalloc.reset_peak()
    return tracemalloc.get_traced_memory()[0]


def _exists(bucket: oss2.Bucket, key: str) -> bool:
    """bucket.object_exists, without its unread reply (oss2 frees that connection only to the GC)."""
    try:
        bucket.head_object(key)
    except oss2.exceptions.NoSuchKey:
        return False
    return True


# ---- helpers -----------------------------------------------------------------------------------------


def _signed_url(server: LocalServer, method: str, bucket: str, key: str) -> str:
    """A URL signed (V1) with KEY_A, built by hand: for requests oss2 would refuse to send."""
    expires = str(int(time.time()) + 60)
    resource = f"/{bucket}/{key}"
    signature = base64.b64encode(
        hmac.digest(KEY_A.encode(), f"{method}\n\n\n{expires}\n{resource}".encode(), "sha1")
    ).decode()
    query = httpx.QueryParams({"OSSAccessKeyId": "id", "Expires": expires, "Signature": signature})
    return f"{server.oss_endpoint}/{bucket}/{oss2.compat.urlquote(key, '')}?{query}"


def _xml(response: httpx.Response) -> ElementTree.Element:
    return ElementTree.fromstring(response.content)


def _code(response: httpx.Response) -> str:
    return _xml(response).findtext("Code", "")
