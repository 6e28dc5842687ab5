"""Admin pages: staff accounts (invite, disable, role, agency), routing rules, service levels."""
