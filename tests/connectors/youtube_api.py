"""A local YouTube Data API v3 and Google OAuth 2.0 token endpoint, as developers.google.com documents them.

Comment threads on one channel's videos, replies (``comments.insert`` with ``parentId``), replies of a
thread (``comments.list``), ``comments.setModerationStatus`` (``heldForReview``, ``published``,
``rejected`` with ``banAuthor``), ``comments.delete``, ``channels.list?mine=true``, the documented
error bodies (401 ``authError``, 403 ``commentsDisabled``, ``forbidden``, ``quotaExceeded`` once the
day's units are spent, 404 ``commentNotFound``), and the token endpoint with PKCE and refresh tokens.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.connectors.localapi import LocalAPI, Request, Response

CHANNEL = "UCnusantaraRasa0000000000"
TOKEN = "ya29.youtube-token"
V3 = "/youtube/v3"
COST = {"list": 1, "insert": 50, "moderate": 50, "delete": 50}  # quota units per call


def google_error(code: int, reason: str, message: str, domain: str = "youtube.commentThread") -> Response:
    """The documented error body: ``error.code``, ``error.message`` and ``error.errors[]`` with a reason."""
    errors = [{"domain": domain, "reason": reason, "message": message}]
    return Response(code, {"error": {"code": code, "message": message, "errors": errors}})


@dataclass
class Comment:
    id: str
    video: str
    author: str
    author_name: str
    text: str
    published: datetime
    parent: str = ""
    status: str = "published"

    def resource(self) -> dict[str, Any]:
        snippet = {
            "channelId": CHANNEL,
            "videoId": self.video,
            "textDisplay": self.text,
            "textOriginal": self.text,
            "authorDisplayName": self.author_name,
            "authorChannelId": {"value": self.author},
            "publishedAt": self.published.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "updatedAt": self.published.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "moderationStatus": self.status,
        }
        if self.parent:
            snippet["parentId"] = self.parent
        return {"kind": "youtube#comment", "etag": "e", "id": self.id, "snippet": snippet}


@dataclass
class FakeYouTube:
    """State of the fake: comments, bans, tokens and the day's quota."""

    api: LocalAPI = field(default_factory=LocalAPI)
    comments: dict[str, Comment] = field(default_factory=dict)
    banned: set[str] = field(default_factory=set)
    disabled_videos: set[str] = field(default_factory=set)
    quota: int = 10_000
    access: set[str] = field(default_factory=lambda: {TOKEN})
    refresh: set[str] = field(default_factory=lambda: {"1//refresh-1"})
    challenges: dict[str, str] = field(default_factory=dict)
    page_size_cap: int = 100
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    def __post_init__(self) -> None:
        route = self.api.route
        route("POST", r"/token")(self.token)
        route("GET", rf"{V3}/channels")(self.channels)
        route("GET", rf"{V3}/commentThreads")(self.threads)
        route("GET", rf"{V3}/comments")(self.replies)
        route("POST", rf"{V3}/comments")(self.insert)
        route("DELETE", rf"{V3}/comments")(self.delete)
        route("POST", rf"{V3}/comments/setModerationStatus")(self.moderate)

    # -- what the public does -----------------------------------------------------------------

    def comment(self, text: str, *, author: str = "UCpelanggan1", name: str = "Budi", video: str = "vid1",
                minutes_ago: float = 0, parent: str = "") -> Comment:  # fmt: skip
        """Someone comments on a video (or replies under ``parent``)."""
        number = next(self._ids)
        comment_id = f"{parent}.r{number}" if parent else f"Ugz{number:05d}"
        when = datetime.now(tz=UTC) - timedelta(minutes=minutes_ago)
        made = Comment(comment_id, video, author, name, text, when, parent=parent)
        self.comments[comment_id] = made
        return made

    def replies_to(self, parent: str) -> list[Comment]:
        return [c for c in self.comments.values() if c.parent == parent]

    # -- endpoints ----------------------------------------------------------------------------

    def _spend(self, request: Request, kind: str) -> Response | None:
        if request.headers.get("Authorization", "").removeprefix("Bearer ") not in self.access:
            return google_error(401, "authError", "Invalid Credentials", domain="global")
        if self.quota < COST[kind]:
            return google_error(
                403,
                "quotaExceeded",
                "The request cannot be completed because you have exceeded your quota.",
                domain="youtube.quota",
            )
        self.quota -= COST[kind]
        return None

    def token(self, request: Request, _match: re.Match[str]) -> Response:
        form = request.form()
        if form.get("client_secret") != "yt-secret":
            return Response(401, {"error": "invalid_client", "error_description": "The OAuth client was not found."})
        if form.get("grant_type") == "authorization_code":
            challenge = self.challenges.pop(form.get("code", ""), None)
            digest = base64.urlsafe_b64encode(hashlib.sha256(form.get("code_verifier", "").encode()).digest())
            if challenge is None or digest.rstrip(b"=").decode() != challenge:
                return Response(400, {"error": "invalid_grant", "error_description": "Bad Request"})
            return self._issue(refresh=True)
        if form.get("grant_type") == "refresh_token":
            if form.get("refresh_token") not in self.refresh:
                return Response(
                    400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}
                )
            return self._issue(refresh=False)  # Google keeps the refresh token
        return Response(400, {"error": "unsupported_grant_type"})

    def _issue(self, *, refresh: bool) -> Response:
        number = next(self._ids)
        access = f"ya29.token-{number}"
        self.access.add(access)
        body = {"access_token": access, "expires_in": 3599, "scope": "https://www.googleapis.com/auth/youtube.force-ssl",
                "token_type": "Bearer"}  # fmt: skip
        if refresh:
            self.refresh.add(f"1//refresh-{number}")
            body["refresh_token"] = f"1//refresh-{number}"
        return Response(200, body)

    def channels(self, request: Request, _match: re.Match[str]) -> Response:
        if denied := self._spend(request, "list"):
            return denied
        item = {
            "kind": "youtube#channel",
            "id": CHANNEL,
            "snippet": {"title": "Nusantara Rasa", "customUrl": "@nusantararasa"},
        }
        return Response(200, {"kind": "youtube#channelListResponse", "items": [item]})

    def _page(self, items: list[dict[str, Any]], request: Request) -> dict[str, Any]:
        size = min(int(request.query.get("maxResults", ["20"])[0]), self.page_size_cap)
        start = int(request.query.get("pageToken", ["0"])[0] or 0)
        body: dict[str, Any] = {"items": items[start : start + size], "pageInfo": {"totalResults": len(items)}}
        if start + size < len(items):
            body["nextPageToken"] = str(start + size)
        return body

    def threads(self, request: Request, _match: re.Match[str]) -> Response:
        if denied := self._spend(request, "list"):
            return denied
        if request.query.get("allThreadsRelatedToChannelId", [""])[0] != CHANNEL:
            return google_error(403, "forbidden", "The comment thread could not be retrieved.")
        tops = sorted((c for c in self.comments.values() if not c.parent and c.status == "published"),
                      key=lambda c: c.published, reverse=True)  # fmt: skip
        items = []
        for top in tops:
            replies = [r.resource() for r in self.replies_to(top.id) if r.status == "published"][:5]
            snippet = {"channelId": CHANNEL, "videoId": top.video, "topLevelComment": top.resource(),
                       "canReply": True, "totalReplyCount": len(replies), "isPublic": True}  # fmt: skip
            thread = {"kind": "youtube#commentThread", "id": top.id, "snippet": snippet}
            if replies:
                thread["replies"] = {"comments": replies}
            items.append(thread)
        return Response(200, {"kind": "youtube#commentThreadListResponse"} | self._page(items, request))

    def replies(self, request: Request, _match: re.Match[str]) -> Response:
        if denied := self._spend(request, "list"):
            return denied
        parent = request.query.get("parentId", [""])[0]
        if parent not in self.comments:
            return google_error(
                404, "parentCommentNotFound", "The parent comment could not be found.", "youtube.comment"
            )
        items = [r.resource() for r in sorted(self.replies_to(parent), key=lambda r: r.published)]
        return Response(200, {"kind": "youtube#commentListResponse"} | self._page(items, request))

    def insert(self, request: Request, _match: re.Match[str]) -> Response:
        if denied := self._spend(request, "insert"):
            return denied
        snippet = request.json().get("snippet") or {}
        parent = self.comments.get(str(snippet.get("parentId") or ""))
        if parent is None:
            return google_error(
                404, "parentCommentNotFound", "The parent comment could not be found.", "youtube.comment"
            )
        if parent.video in self.disabled_videos:
            return google_error(403, "commentsDisabled", "The video has disabled comments.", "youtube.comment")
        text = str(snippet.get("textOriginal") or "")
        if not text.strip():
            return google_error(400, "commentTextRequired", "The comment text is required.", "youtube.comment")
        made = self.comment(text, author=CHANNEL, name="Nusantara Rasa", video=parent.video, parent=parent.id)
        return Response(200, made.resource())

    def delete(self, request: Request, _match: re.Match[str]) -> Response:
        if denied := self._spend(request, "delete"):
            return denied
        comment = self.comments.pop(request.query.get("id", [""])[0], None)
        if comment is None:
            return google_error(404, "commentNotFound", "The comment could not be found.", "youtube.comment")
        return Response(204, None)

    def moderate(self, request: Request, _match: re.Match[str]) -> Response:
        if denied := self._spend(request, "moderate"):
            return denied
        comment = self.comments.get(request.query.get("id", [""])[0])
        status = request.query.get("moderationStatus", [""])[0]
        ban = request.query.get("banAuthor", ["false"])[0] == "true"
        if comment is None:
            return google_error(404, "commentNotFound", "The comment could not be found.", "youtube.comment")
        if ban and status != "rejected":
            return google_error(
                400, "banWithoutReject", "banAuthor requires moderationStatus=rejected.", "youtube.comment"
            )
        if comment.author == CHANNEL:
            return google_error(
                403, "forbidden", "Insufficient permissions to moderate this comment.", "youtube.comment"
            )
        comment.status = status
        if ban:
            self.banned.add(comment.author)
        return Response(204, None)
