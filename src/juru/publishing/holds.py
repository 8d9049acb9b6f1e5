"""What may leave while an organisation is in crisis: the one rule the sweeper and the publish call share.

The switch is ``Organisation.crisis_active`` (turned on and off by ``juru.crisis.services``). While
it is on, a post leaves only if a crisis lead approved its current text: routing adds a crisis-lead
step to everything submitted during a crisis, so statements written for the crisis can go out.
Everything else is held where it is: the sweeper does not claim it, and a post claimed just before
the declaration is stopped before the network call and put back in the queue, unsent. Drafts
approved before the declaration carry no crisis-lead step, so they wait too; when the crisis ends,
``juru.crisis`` moves every post still waiting in the paused queue to a review list.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from juru.publishing.models import Post, ReviewStep, StepKind, StepState


def crisis_cleared() -> Exists:
    """True for a post whose draft's current text passed a crisis-lead step."""
    return Exists(
        ReviewStep.objects.filter(
            draft=OuterRef("draft"),
            round=OuterRef("draft__review_round"),
            kind=StepKind.CRISIS,
            state=StepState.APPROVED,
        )
    )


def held_by_crisis() -> Q:
    """Posts that may not leave now: their organisation is in crisis and no crisis lead cleared them."""
    return Q(organisation__crisis_active=True) & Q(~crisis_cleared())


def is_held_by_crisis(post: Post) -> bool:
    """Whether this post must stay unsent now (read fresh: the switch may have moved a moment ago)."""
    return Post.objects.filter(pk=post.pk).filter(held_by_crisis()).exists()
