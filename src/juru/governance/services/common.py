"""What the governance services share."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

Actor = AbstractBaseUser | None
