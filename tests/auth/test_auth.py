from coach.models import Role


def test_login_page_renders_with_csrf_token(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'name="csrf_token"' in page


def test_right_password_signs_in_and_shows_the_dashboard(client, auth, make_user):
    make_user("ann", Role.trainee)
    response = auth.login("ann")
    assert response.status_code == 302 and response.headers["Location"].endswith("/dashboard")
    assert "Hello, Ann" in client.get("/dashboard").get_data(as_text=True)


def test_wrong_password_is_refused(client, auth, make_user):
    make_user("ann")
    response = auth.login("ann", "not-the-password")
    assert response.status_code == 401
    assert "Wrong username or password" in response.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302


def test_repeated_wrong_passwords_lock_the_account_for_a_while(client, auth, make_user):
    make_user("ann")
    for _ in range(5):
        assert auth.login("ann", "guess-guess").status_code == 401
    locked = auth.login("ann")  # even the right password is refused while locked
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.get_data(as_text=True)


def test_form_post_without_csrf_token_is_refused(client, make_user):
    make_user("ann")
    response = client.post("/login", data={"username": "ann", "password": "correct-horse-9"})
    assert response.status_code == 400
    assert "form expired or was not sent by this site" in response.get_data(as_text=True)


def test_passwords_are_stored_hashed(make_user):
    user = make_user("ann")
    assert "correct-horse-9" not in user.password_hash and user.password_hash.startswith(("scrypt:", "pbkdf2:"))


def test_change_password_needs_the_current_one(client, auth, make_user):
    make_user("ann")
    auth.login("ann")
    token = auth.csrf("/account/password")
    wrong = client.post("/account/password", data={"current_password": "nope-nope", "new_password": "new-secret-1",
                                                  "confirm": "new-secret-1", "csrf_token": token})
    assert "not your current password" in wrong.get_data(as_text=True)
    client.post("/account/password", data={"current_password": "correct-horse-9", "new_password": "new-secret-1",
                                           "confirm": "new-secret-1", "csrf_token": token})
    client.post("/logout", data={"csrf_token": auth.csrf()})
    assert auth.login("ann", "new-secret-1").status_code == 302


def test_logout_ends_the_session(client, auth, make_user):
    make_user("ann")
    auth.login("ann")
    client.post("/logout", data={"csrf_token": auth.csrf()})
    assert client.get("/dashboard").status_code == 302


def test_next_parameter_never_leaves_the_site(client, make_user, auth):
    make_user("ann")
    token = auth.csrf("/login")
    response = client.post("/login?next=https://evil.example/", data={"username": "ann", "password": "correct-horse-9", "csrf_token": token})
    assert response.headers["Location"].endswith("/dashboard")
