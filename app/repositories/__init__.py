"""Each aggregate's rows, read and written in one place and one style."""
