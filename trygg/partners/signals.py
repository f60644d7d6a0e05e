"""Permission changes and renames are audited wherever made: admin, actions, shell, command.

Signals, not calls in each view, because memberships and user flags are
changed through Django's admin and inlines, which no action of ours wraps.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from trygg.partners import audit
from trygg.partners.models import ApiToken, AuditEvent, Membership, OrganisationKey
from trygg.partners.usernames import check_username

USER_FLAGS = ("is_active", "is_staff", "is_superuser")


def _municipalities_of(user_id: int) -> list[int | None]:
    ids = Membership.objects.filter(user_id=user_id).values_list(
        "organisation__municipality_id", flat=True
    )
    return list(set(ids)) or [None]


def _record(target: str, municipality_ids: list[int | None], **detail: Any) -> None:
    audit.record(
        actor=audit.current_user(),
        action=AuditEvent.Action.PERMISSION,
        target=target,
        municipality_ids=municipality_ids,
        detail=detail,
    )


@receiver(pre_save, sender=Membership)
def _remember_old_role(sender: Any, instance: Membership, **kwargs: Any) -> None:
    old = Membership.objects.filter(pk=instance.pk).values_list("role", flat=True).first()
    instance._audit_old_role = old  # type: ignore[attr-defined]


@receiver(post_save, sender=Membership)
def _membership_saved(sender: Any, instance: Membership, created: bool, **kwargs: Any) -> None:
    old = getattr(instance, "_audit_old_role", None)
    if not created and old == instance.role:
        return
    _record(
        f"membership:{instance.pk}",
        [instance.organisation.municipality_id],
        change="membership added" if created else "role changed",
        user=instance.user.get_username(),
        organisation=instance.organisation_id,
        role=instance.role,
        old_role=old,
    )


@receiver(post_delete, sender=Membership)
def _membership_removed(sender: Any, instance: Membership, **kwargs: Any) -> None:
    _record(
        f"membership:{instance.pk}",
        [instance.organisation.municipality_id],
        change="membership removed",
        user=instance.user.get_username(),
        organisation=instance.organisation_id,
        role=instance.role,
    )


@receiver(pre_save, sender=User)
def _user_changed(sender: Any, instance: User, **kwargs: Any) -> None:
    before = None
    if instance.pk is not None:
        before = User.objects.filter(pk=instance.pk).values("username", *USER_FLAGS).first()
    if before is None or before["username"] != instance.username:
        # The last line of defence: the admin's forms say the same more kindly.
        check_username(instance.username, user_pk=instance.pk)
    if before is None:
        return
    if before["username"] != instance.username:
        _record(
            f"user:{instance.pk}",
            _municipalities_of(instance.pk),
            change="username",
            user_id=instance.pk,
            old_username=before["username"],
            username=instance.username,
        )
    changed = {f: getattr(instance, f) for f in USER_FLAGS if before[f] != getattr(instance, f)}
    if changed:
        _record(f"user:{instance.pk}", _municipalities_of(instance.pk), change="flags", **changed)


@receiver(m2m_changed, sender=User.groups.through)
@receiver(m2m_changed, sender=User.user_permissions.through)
def _user_grants_changed(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    if action not in {"post_add", "post_remove", "post_clear"} or not isinstance(instance, User):
        return
    what = "groups" if sender is User.groups.through else "permissions"
    ids = sorted(kwargs.get("pk_set") or [])
    _record(
        f"user:{instance.pk}", _municipalities_of(instance.pk), change=f"{what} {action}", ids=ids
    )


@receiver(post_save, sender=ApiToken)
def _token_saved(sender: Any, instance: ApiToken, created: bool, **kwargs: Any) -> None:
    fields = kwargs.get("update_fields") or ()
    if created or "revoked_at" in fields:
        change = "API token created" if created else "API token revoked"
        _record(f"token:{instance.pk}", _municipalities_of(instance.user_id), change=change)


@receiver(post_save, sender=OrganisationKey)
def _organisation_key_saved(
    sender: Any, instance: OrganisationKey, created: bool, **kwargs: Any
) -> None:
    fields = kwargs.get("update_fields") or ()
    if created or "revoked_at" in fields:
        change = "organisation key created" if created else "organisation key revoked"
        _record(
            f"orgkey:{instance.pk}",
            [instance.organisation.municipality_id],
            change=change,
            organisation=instance.organisation_id,
        )
