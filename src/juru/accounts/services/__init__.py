"""All writes of the accounts app. Keyword-only arguments, ``actor=``, audited in the same transaction."""

from juru.accounts.services.auth_events import (
    record_login_failure,
    record_login_success,
    record_second_factor_refused,
)
from juru.accounts.services.brand_accounts import (
    create_brand_account,
    delete_brand_account,
    revoke_grant,
    set_grant,
    update_brand_account,
)
from juru.accounts.services.invitations import accept_invitation, send_invitation
from juru.accounts.services.organisations import (
    add_member,
    add_team_member,
    change_role,
    create_member,
    create_organisation,
    create_team,
    delete_team,
    remove_member,
    remove_team_member,
    update_team,
)
from juru.accounts.services.preferences import set_user_language, update_organisation_settings
from juru.accounts.services.tokens import authenticate_token, create_api_token, revoke_api_token
from juru.accounts.services.twofactor import (
    TotpEnrolment,
    confirm_totp_enrolment,
    disable_two_factor,
    generate_recovery_codes,
    has_two_factor,
    otpauth_uri,
    qr_svg,
    remaining_recovery_codes,
    start_totp_enrolment,
    totp_secret,
    use_recovery_code,
)

__all__ = [
    "TotpEnrolment",
    "accept_invitation",
    "add_member",
    "add_team_member",
    "authenticate_token",
    "change_role",
    "confirm_totp_enrolment",
    "create_api_token",
    "create_brand_account",
    "create_member",
    "create_organisation",
    "create_team",
    "delete_brand_account",
    "delete_team",
    "disable_two_factor",
    "generate_recovery_codes",
    "has_two_factor",
    "otpauth_uri",
    "qr_svg",
    "record_login_failure",
    "record_login_success",
    "record_second_factor_refused",
    "remaining_recovery_codes",
    "remove_member",
    "remove_team_member",
    "revoke_api_token",
    "revoke_grant",
    "send_invitation",
    "set_grant",
    "set_user_language",
    "start_totp_enrolment",
    "totp_secret",
    "update_brand_account",
    "update_organisation_settings",
    "update_team",
    "use_recovery_code",
]
