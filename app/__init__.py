"""nextdesk: back-office stages, pushed to the front-line desk."""
