"""Staff sign-in (Flask-Login) and role checks."""
