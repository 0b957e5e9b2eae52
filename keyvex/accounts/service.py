"""Accounts: sign-up, sign-in with rate limits, sessions, password change.

Failed sign-ins are limited so that guessing is slow and a stranger cannot lock an owner out
(OWASP's "device cookies"):

- per IP address (``KEYVEX_LOGIN_LIMIT_IP``), for every attempt: a password spray from one
  address stops there, whatever accounts it tries;
- every successful sign-in (and sign-up) gives the browser a signed known-device cookie for
  that account (``kvx_device``, HttpOnly, a year, sent only to ``/login``). A browser carrying
  one is limited by its own failures only (``KEYVEX_LOGIN_LIMIT_ACCOUNT`` per device), so the
  owner's right password still works however many failures strangers cause elsewhere;
- every other client (strangers, and the owner on a new browser) shares the account's limit
  (``KEYVEX_LOGIN_LIMIT_ACCOUNT`` per account), which refuses even the right password until
  the window moves on: a distributed attack gets the same few guesses per hour as one client.
"""

from __future__ import annotations

import secrets
import uuid

from anyio import to_thread
from argon2 import PasswordHasher
from email_validator import EmailNotValidError, validate_email

from keyvex import clock
from keyvex.accounts import _devices
from keyvex.accounts._keys import COUNTERS, email_key, login_key, logins_index, user_key
from keyvex.accounts.models import User
from keyvex.accounts.passwords import check_password_rules, make_hasher, verify_password
from keyvex.app import App
from keyvex.clock import now_iso
from keyvex.errors import Invalid, RateLimited
from keyvex.store import SK, Condition, Put, TransactionCanceled

_hashers: dict[str, PasswordHasher] = {}
DISABLED = "This account has been disabled. Ask the site's administrator to enable it again."


def _hasher(app: App) -> PasswordHasher:
    env = app.settings.env
    if env not in _hashers:
        _hashers[env] = make_hasher(env)
    return _hashers[env]


def normalise_email(raw: str, field: str = "email") -> str:
    """A valid, lower-cased email address, or Invalid naming the field."""
    try:
        checked = validate_email(raw.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise Invalid("The email address is not valid.", fields={field: str(exc)}) from None
    return checked.normalized.lower()


async def get_user(app: App, uid: str) -> User | None:
    item = await app.store.get(*user_key(uid))
    return None if item is None else User.from_item(item)


async def find_user(app: App, email: str) -> tuple[User, str] | None:
    """The user with this email and their password hash."""
    guard = await app.store.get(*email_key(email))
    if guard is None:
        return None
    item = await app.store.get(*user_key(guard["uid"]))
    return None if item is None else (User.from_item(item), item["password_hash"])


async def sign_up(app: App, email: str, password: str, *, admin: bool = False) -> User:
    """Create an account; the very first account on a site becomes an admin."""
    email = normalise_email(email)
    check_password_rules(password, app.settings.min_password_length)
    password_hash = await to_thread.run_sync(_hasher(app).hash, password)
    uid = uuid.uuid4().hex
    pk, sk = user_key(uid)
    profile = {
        "PK": pk,
        "SK": sk,
        "entity_type": "user",
        "uid": uid,
        "email": email,
        "password_hash": password_hash,
        "is_admin": admin,
        "GSI1PK": "USERS",
        "GSI1SK": now_iso(),
    }
    guard = {"PK": email_key(email)[0], "SK": "EMAIL", "entity_type": "email", "uid": uid}
    try:
        await app.store.transact_write(
            [Put(profile, Condition.not_exists()), Put(guard, Condition.not_exists())]
        )
    except TransactionCanceled:
        raise Invalid(
            "That email is already registered.",
            fields={"email": "An account with this email already exists. Try signing in."},
        ) from None
    counters = await app.store.update(*COUNTERS, add={"users": 1})
    if counters["users"] == 1 and not admin:
        await app.store.update(pk, sk, set={"is_admin": True})
    return await _must_get(app, uid)


async def _must_get(app: App, uid: str) -> User:
    user = await get_user(app, uid)
    assert user is not None
    return user


async def authenticate(
    app: App, email: str, password: str, ip: str, device_cookie: str | None = None
) -> User:
    """Check credentials under the limits on failed attempts (see the module docstring)."""
    limiter, settings = app.limiter, app.settings
    account = email.strip().lower()
    device = _devices.device_id(app.secret_key, account, device_cookie)
    rules = [(settings.login_limit_ip, ("ip", ip))]
    if device is not None:  # the owner's browser: its own failures only
        rules.append((settings.login_limit_account, ("device", device)))
    else:  # strangers and new browsers share the account's limit
        rules.append((settings.login_limit_account, ("acct", account)))
    for rule, key in rules:
        if not await limiter.allowed(rule, "login", *key):
            wait = await limiter.retry_after(rule, "login", *key)
            raise RateLimited(
                f"Too many sign-in attempts. Try again in {max(1, wait // 60)} minute(s).",
                retry_after=wait,
            )
    found = await find_user(app, account)
    stored = found[1] if found else None
    ok = await to_thread.run_sync(verify_password, _hasher(app), stored, password)
    if not ok or found is None:
        for rule, key in rules:
            await limiter.hit(rule, "login", *key)
        raise Invalid("Wrong email or password.", fields={"password": "Wrong email or password."})
    if found[0].disabled:  # said only to someone who knows the password
        raise Invalid(
            DISABLED, fields={"email": "This account has been disabled by an administrator."}
        )
    return found[0]


def known_device_cookie(app: App, user: User) -> str:
    """A fresh known-device cookie value for a browser that just signed in as ``user``."""
    return _devices.issue(app.secret_key, user.email)


async def start_session(app: App, user: User, user_agent: str = "") -> str:
    """A fresh random session token (rotated at every sign-in); only its digest is stored."""
    token = secrets.token_urlsafe(32)
    pk, sk = login_key(token)
    ttl = int(clock.now()) + app.settings.session_days * 86400
    await app.store.put(
        {
            "PK": pk,
            "SK": sk,
            "entity_type": "login",
            "uid": user.id,
            "user_agent": user_agent[:200],
            "ttl": ttl,
            "GSI1PK": logins_index(user.id),
            "GSI1SK": now_iso(),
        },
        Condition.not_exists(),
    )
    return token


async def session_user(app: App, token: str) -> User | None:
    if len(token) > 100:
        return None
    login = await app.store.get(*login_key(token))
    user = None if login is None else await get_user(app, login["uid"])
    return None if user is None or user.disabled else user


async def end_session(app: App, token: str) -> None:
    if len(token) <= 100:
        await app.store.delete(*login_key(token))


async def change_password(app: App, user: User, current: str, new: str, keep_token: str) -> None:
    """Change the password after checking the current one; signs out every other session."""
    found = await find_user(app, user.email)
    if found is None or not await to_thread.run_sync(
        verify_password, _hasher(app), found[1], current
    ):
        raise Invalid(
            "The current password is wrong.",
            fields={"current_password": "This is not your current password."},
        )
    check_password_rules(new, app.settings.min_password_length, field="new_password")
    new_hash = await to_thread.run_sync(_hasher(app).hash, new)
    await app.store.update(*user_key(user.id), set={"password_hash": new_hash})
    keep = login_key(keep_token)[0]
    async for login in app.store.query_all(logins_index(user.id), SK.ge(""), index="GSI1"):
        if login["PK"] != keep:
            await app.store.delete(login["PK"], login["SK"])
