"""``send_now`` driving uvicorn's own ASGI ``send`` against real sockets on 127.0.0.1: a client that
reads slowly, a client that goes away, and a ``send`` that raises, before and after it had to wait.

The server is a real uvicorn (each of its HTTP implementations) running an app that starts a
streamed response and hands its ``send`` to the test, the way the SSE stream hands its connection
to the publisher.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

import pytest
import uvicorn
from starlette.types import Message, Receive, Scope, Send

from app.events.direct_send import Suspended, send_now

CHUNK = 64 * 1024
#: Far more than the socket buffers and uvicorn's high-water mark hold: a client that does not read
#: makes a send wait well before this.
MOST = 256 * 1024 * 1024


@dataclass
class Connection:
    send: Send
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    done: asyncio.Event

    async def read_head(self) -> bytes:
        return await self.reader.readuntil(b"\r\n\r\n")


def body(number: int) -> Message:
    # Each chunk says which it is, so the client can tell nothing was lost or reordered.
    return {"type": "http.response.body", "body": number.to_bytes(4, "big") * (CHUNK // 4), "more_body": True}


@asynccontextmanager
async def streaming_server(http: str) -> AsyncIterator[Callable[[], Awaitable[Connection]]]:
    """A uvicorn server whose app answers 200, then leaves the body to the test until told done."""
    handed: asyncio.Queue[tuple[Send, asyncio.Event]] = asyncio.Queue()

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        await send(
            {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]}
        )
        done = asyncio.Event()
        await handed.put((send, done))
        await done.wait()

    config = uvicorn.Config(app, host="127.0.0.1", port=0, http=http, lifespan="off", log_level="warning")
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    connections: list[Connection] = []

    async def connect() -> Connection:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET /stream HTTP/1.1\r\nHost: test\r\n\r\n")
        await writer.drain()
        send, done = await asyncio.wait_for(handed.get(), 5)
        connection = Connection(send, reader, writer, done)
        connections.append(connection)
        return connection

    try:
        yield connect
    finally:
        for connection in connections:
            connection.done.set()
            connection.writer.close()
        server.should_exit = True
        await asyncio.wait_for(serving, 10)


async def fill_until_it_waits(connection: Connection) -> tuple[int, Suspended]:
    """Send chunks until one has to wait; how many went out at once, and the one that waits."""
    for number in range(MOST // CHUNK):
        suspended = send_now(connection.send(body(number)))
        if suspended is not None:
            return number, suspended
    raise AssertionError(f"every send completed at once, {MOST} bytes to a client that reads nothing")


async def read_chunks(reader: asyncio.StreamReader, count: int) -> list[int]:
    """Read ``count`` chunks of the chunked body and say which number each one carried."""
    numbers: list[int] = []
    while len(numbers) < count:
        size = int((await reader.readuntil(b"\r\n"))[:-2], 16)
        data = await reader.readexactly(size + 2)
        numbers.append(int.from_bytes(data[:4], "big"))
    return numbers


HTTP = pytest.mark.parametrize("http", ["httptools", "h11"])


@HTTP
def test_sends_to_a_client_that_keeps_up_complete_at_once(http: str) -> None:
    async def scenario() -> None:
        async with streaming_server(http) as connect:
            connection = await connect()
            await connection.read_head()
            for number in range(3):
                assert send_now(connection.send(body(number))) is None
            assert await read_chunks(connection.reader, 3) == [0, 1, 2]

    asyncio.run(scenario())


@HTTP
def test_a_slow_client_makes_a_send_wait_and_finish_completes_it_once_the_client_reads(http: str) -> None:
    async def scenario() -> None:
        async with streaming_server(http) as connect:
            connection = await connect()
            await connection.read_head()
            sent_at_once, suspended = await fill_until_it_waits(connection)

            finishing = asyncio.create_task(suspended.finish())
            await asyncio.sleep(0.2)
            assert not finishing.done(), "the send finished while the client read nothing"

            # The client catches up: every chunk arrives, in order, the waiting one last.
            numbers = await asyncio.wait_for(read_chunks(connection.reader, sent_at_once + 1), 30)
            assert numbers == list(range(sent_at_once + 1))
            await asyncio.wait_for(finishing, 5)
            # The connection is writable again: the next send completes at once.
            assert send_now(connection.send(body(sent_at_once + 1))) is None

    asyncio.run(scenario())


@HTTP
def test_a_client_that_goes_away_ends_a_waiting_send_without_an_error(http: str) -> None:
    async def scenario() -> None:
        async with streaming_server(http) as connect:
            connection = await connect()
            await connection.read_head()
            _, suspended = await fill_until_it_waits(connection)
            finishing = asyncio.create_task(suspended.finish())

            connection.writer.transport.abort()  # gone, with unread data: a reset
            await asyncio.wait_for(finishing, 5)
            # Sends to the closed connection complete at once and write nothing.
            assert send_now(connection.send(body(0))) is None

    asyncio.run(scenario())


@HTTP
def test_a_send_that_raises_before_waiting_raises_from_send_now(http: str) -> None:
    async def scenario() -> None:
        async with streaming_server(http) as connect:
            connection = await connect()
            await connection.read_head()
            again = {"type": "http.response.start", "status": 200, "headers": []}
            with pytest.raises(RuntimeError, match="http.response.start"):
                send_now(connection.send(again))
            # The connection is unharmed: the body still goes out.
            assert send_now(connection.send(body(7))) is None
            assert await read_chunks(connection.reader, 1) == [7]

    asyncio.run(scenario())


@HTTP
def test_a_send_that_raises_after_waiting_raises_from_finish(http: str) -> None:
    async def scenario() -> None:
        async with streaming_server(http) as connect:
            connection = await connect()
            await connection.read_head()
            sent_at_once, filling = await fill_until_it_waits(connection)
            filling.abandon()
            # uvicorn waits for the client before it looks at the message: this one fails only then.
            again = {"type": "http.response.start", "status": 200, "headers": []}
            suspended = send_now(connection.send(again))
            assert suspended is not None
            finishing = asyncio.create_task(suspended.finish())
            await asyncio.wait_for(read_chunks(connection.reader, sent_at_once), 30)
            with pytest.raises(RuntimeError, match="http.response.start"):
                await asyncio.wait_for(finishing, 5)

    asyncio.run(scenario())


@HTTP
def test_an_abandoned_or_cancelled_send_writes_nothing(http: str) -> None:
    async def scenario() -> None:
        async with streaming_server(http) as connect:
            connection = await connect()
            await connection.read_head()
            sent_at_once, waiting = await fill_until_it_waits(connection)
            waiting.abandon()
            assert waiting.coroutine.cr_frame is None  # closed: it will never run on

            # A send cancelled while finish() waits for the client is closed the same way.
            cancelled = send_now(connection.send(body(10**6)))
            assert cancelled is not None
            finishing = asyncio.create_task(cancelled.finish())
            await asyncio.sleep(0.05)
            finishing.cancel()
            with pytest.raises(asyncio.CancelledError):
                await finishing
            assert cancelled.coroutine.cr_frame is None

            # What the client gets: what went out at once, and neither of the two given up.
            numbers = await asyncio.wait_for(read_chunks(connection.reader, sent_at_once), 30)
            assert numbers == list(range(sent_at_once))
            assert send_now(connection.send(body(42))) is None
            assert await read_chunks(connection.reader, 1) == [42]

    asyncio.run(scenario())
