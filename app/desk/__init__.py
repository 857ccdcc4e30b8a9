"""The front-line desk: server-rendered pages, a little JavaScript, a signed session cookie."""
