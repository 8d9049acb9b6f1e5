"""Posts with images from the running app: X uploads them first; Instagram fetches them from a signed public address."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from juru.publishing import public_media, services
from juru.publishing.models import Post, PostState
from juru.publishing.services import publish as publish_services
from tests.connectors.localapi import LocalAPI, serve
from tests.connectors.test_facebook import graph_api
from tests.connectors.test_x import x_api
from tests.publishing.conftest import Cast
from tests.publishing.fault_networks import Network, account_on

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_scanner")]

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 5000
JPEG = b"\xff\xd8\xff\xe0 menu \xff\xd9"


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def x_server(settings: Any) -> Iterator[LocalAPI]:
    with serve(x_api()) as api:
        settings.JURU_X_API_URL = api.base_url
        yield api


@pytest.fixture
def graph_server(settings: Any) -> Iterator[LocalAPI]:
    with serve(graph_api()) as api:
        settings.JURU_FACEBOOK_GRAPH_URL = api.base_url
        settings.JURU_PUBLIC_URL = "https://media.example"  # the local Graph API checks where images come from
        yield api


def on(name: str, handle: str, **credentials: str) -> Network:
    return Network(name, handle, credentials, connector=lambda: None, inject=lambda f: None, contents=list)


def publish_with_images(cast: Cast, account: Any, files: list[SimpleUploadedFile]) -> Post:
    draft = services.create_draft(actor=cast.author, accounts=[account], text="Menu baru kami!")
    for upload in files:
        services.add_attachment(draft, actor=cast.author, upload=upload, source="Foto: Tim Humas")
    draft = services.approve_draft(services.submit_draft(draft, actor=cast.author), actor=cast.pr1)
    services.schedule_draft(draft, actor=cast.author, confirm_accounts=[account.handle])
    for pk in services.claim_due_posts():
        publish_services.publish_post(pk)
    return Post.objects.get(draft=draft)


def test_an_x_post_with_two_images(cast: Cast, x_server: LocalAPI) -> None:
    account = account_on(cast, on("x", "nusantararasa", access_token="user-token", user_id="77"))
    images = [
        SimpleUploadedFile("a.png", PNG, content_type="image/png"),
        SimpleUploadedFile("b.jpg", JPEG, content_type="image/jpeg"),
    ]
    post = publish_with_images(cast, account, images)
    assert post.state == PostState.PUBLISHED, post.reason
    media_ids = x_server.attached[post.remote_id]  # type: ignore[attr-defined]
    assert [x_server.uploads[m]["data"] for m in media_ids] == [PNG, JPEG]  # type: ignore[attr-defined]


def test_an_instagram_image_post_fetched_from_a_signed_address(cast: Cast, graph_server: LocalAPI) -> None:
    account = account_on(cast, on("instagram", "1784", access_token="page-token"))
    post = publish_with_images(cast, account, [SimpleUploadedFile("menu.jpg", JPEG, content_type="image/jpeg")])
    assert post.state == PostState.PUBLISHED, post.reason
    [container] = [r for r in graph_server.requests if r.path.endswith("/1784/media")]
    address = container.form()["image_url"]
    assert address.startswith("https://media.example/media/public/")
    fetched = Client().get(urlsplit(address).path)  # no login: the network fetches it
    assert fetched.status_code == 200
    assert b"".join(fetched.streaming_content) == JPEG  # type: ignore[attr-defined]
    assert fetched["Content-Type"] == "image/jpeg"


def test_a_public_address_is_refused_when_altered_expired_or_switched_off(
    cast: Cast, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.JURU_PUBLIC_URL = "https://juru.example"
    draft = services.create_draft(actor=cast.author, accounts=[cast.brand], text="Foto")
    upload = SimpleUploadedFile("a.png", PNG, content_type="image/png")
    attachment = services.add_attachment(draft, actor=cast.author, upload=upload, source="Foto: Tim Humas")
    path = urlsplit(public_media.signed_url(attachment)).path
    client = Client()
    assert client.get(path).status_code == 200
    assert client.get(path.rstrip("/") + "x/").status_code == 404  # altered signature
    monkeypatch.setattr(public_media, "LIFETIME", timedelta(seconds=-1))
    assert client.get(path).status_code == 404  # expired
    monkeypatch.setattr(public_media, "LIFETIME", timedelta(hours=1))
    settings.JURU_PUBLIC_URL = ""
    assert client.get(path).status_code == 404  # not served at all without a public address


def test_without_a_public_address_instagram_refuses_clearly(cast: Cast, graph_server: LocalAPI, settings: Any) -> None:
    settings.JURU_PUBLIC_URL = ""
    account = account_on(cast, on("instagram", "1784", access_token="page-token"))
    post = publish_with_images(cast, account, [SimpleUploadedFile("menu.jpg", JPEG, content_type="image/jpeg")])
    assert post.state == PostState.FAILED
    assert "public URL" in post.reason
