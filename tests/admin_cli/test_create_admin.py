"""`flask create-admin`: the first admin by prompt, stdin or invitation."""

from __future__ import annotations

from community.extensions import db
from community.models import Role, User


def _user(email: str) -> User | None:
    return db.session.scalar(db.select(User).filter_by(email=email))


def test_password_from_stdin_makes_an_admin_who_can_sign_in(app) -> None:
    result = app.test_cli_runner().invoke(
        args=["create-admin", "--email", "Chief@City.example.org", "--password-stdin"],
        input="correct horse battery staple\n",
    )
    assert result.exit_code == 0, result.output
    user = _user("chief@city.example.org")
    assert user is not None and user.role == Role.ADMIN and user.active
    assert user.check_password("correct horse battery staple")
    assert "correct horse" not in result.output
    response = app.test_client().post(
        "/login",
        data={"email": "chief@city.example.org", "password": "correct horse battery staple"},
    )
    assert response.status_code == 302


def test_password_from_the_prompt_is_asked_twice(app) -> None:
    result = app.test_cli_runner().invoke(
        args=["create-admin", "--email", "second@city.example.org", "--name", "Second Admin"],
        input="another long passphrase\nanother long passphrase\n",
    )
    assert result.exit_code == 0, result.output
    assert "Password: " in result.output and "Repeat for confirmation" in result.output
    assert _user("second@city.example.org").name == "Second Admin"


def test_the_apps_password_rules_apply(app) -> None:
    result = app.test_cli_runner().invoke(
        args=["create-admin", "--email", "short@city.example.org", "--password-stdin"],
        input="tooshort\n",
    )
    assert result.exit_code == 1
    assert "password refused: Use at least 12 characters." in result.output
    assert _user("short@city.example.org") is None


def test_an_existing_address_is_refused_clearly(app) -> None:
    runner = app.test_cli_runner()
    args = ["create-admin", "--email", "dup@city.example.org", "--password-stdin"]
    assert runner.invoke(args=args, input="first long password\n").exit_code == 0
    again = runner.invoke(args=args, input="second long password\n")
    assert again.exit_code == 1
    assert "dup@city.example.org already has an account" in again.output
    assert _user("dup@city.example.org").check_password("first long password")


def test_invite_prints_a_one_time_link(app) -> None:
    app.config["PUBLIC_BASE_URL"] = "https://reports.example.org"
    result = app.test_cli_runner().invoke(
        args=["create-admin", "--email", "invited@city.example.org", "--invite"]
    )
    assert result.exit_code == 0, result.output
    link = next(line for line in result.output.splitlines() if line.startswith("https://"))
    assert link.startswith("https://reports.example.org/invite/")
    client = app.test_client()
    path = link.removeprefix("https://reports.example.org")
    assert client.get(path).status_code == 200
    user = _user("invited@city.example.org")
    assert user.role == Role.ADMIN and user.invite_token_hash is not None


def test_a_bad_address_is_refused(app) -> None:
    result = app.test_cli_runner().invoke(
        args=["create-admin", "--email", "not-an-address", "--password-stdin"],
        input="a long enough password\n",
    )
    assert result.exit_code == 1 and "is not an e-mail address" in result.output
