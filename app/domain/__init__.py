"""Pure rules: nothing here imports FastAPI or the database."""
