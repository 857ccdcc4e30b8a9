from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.events_stream_events_response_200 import EventsStreamEventsResponse200
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    last_event_id_query: int | Unset = UNSET,
    type_: str | Unset = UNSET,
    order: str | Unset = UNSET,
    department: str | Unset = UNSET,
    at_risk: bool | Unset = False,
    last_event_id_header: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(last_event_id_header, Unset):
        headers["Last-Event-ID"] = last_event_id_header

    params: dict[str, Any] = {}

    params["last_event_id"] = last_event_id_query

    params["type"] = type_

    params["order"] = order

    params["department"] = department

    params["at_risk"] = at_risk

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/stream",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EventsStreamEventsResponse200 | Problem | None:
    if response.status_code == 200:
        response_200 = EventsStreamEventsResponse200.from_dict(response.text)

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[EventsStreamEventsResponse200 | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    last_event_id_query: int | Unset = UNSET,
    type_: str | Unset = UNSET,
    order: str | Unset = UNSET,
    department: str | Unset = UNSET,
    at_risk: bool | Unset = False,
    last_event_id_header: str | Unset = UNSET,
) -> Response[EventsStreamEventsResponse200 | Problem]:
    """Stream Events

     Every committed event, live, filtered as `/v1/events`. Resumes without gap or duplicate.

    Args:
        last_event_id_query (int | Unset): Resume after this event id (the Last-Event-ID header
            wins)
        type_ (str | Unset): Comma-separated event types; stage.* for a family
        order (str | Unset): Only this order's events
        department (str | Unset):
        at_risk (bool | Unset): Only events of orders at risk Default: False.
        last_event_id_header (str | Unset): Resume after this event id (a number past the newest
            event gets `reset`)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EventsStreamEventsResponse200 | Problem]
    """

    kwargs = _get_kwargs(
        last_event_id_query=last_event_id_query,
        type_=type_,
        order=order,
        department=department,
        at_risk=at_risk,
        last_event_id_header=last_event_id_header,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    last_event_id_query: int | Unset = UNSET,
    type_: str | Unset = UNSET,
    order: str | Unset = UNSET,
    department: str | Unset = UNSET,
    at_risk: bool | Unset = False,
    last_event_id_header: str | Unset = UNSET,
) -> EventsStreamEventsResponse200 | Problem | None:
    """Stream Events

     Every committed event, live, filtered as `/v1/events`. Resumes without gap or duplicate.

    Args:
        last_event_id_query (int | Unset): Resume after this event id (the Last-Event-ID header
            wins)
        type_ (str | Unset): Comma-separated event types; stage.* for a family
        order (str | Unset): Only this order's events
        department (str | Unset):
        at_risk (bool | Unset): Only events of orders at risk Default: False.
        last_event_id_header (str | Unset): Resume after this event id (a number past the newest
            event gets `reset`)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EventsStreamEventsResponse200 | Problem
    """

    return sync_detailed(
        client=client,
        last_event_id_query=last_event_id_query,
        type_=type_,
        order=order,
        department=department,
        at_risk=at_risk,
        last_event_id_header=last_event_id_header,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    last_event_id_query: int | Unset = UNSET,
    type_: str | Unset = UNSET,
    order: str | Unset = UNSET,
    department: str | Unset = UNSET,
    at_risk: bool | Unset = False,
    last_event_id_header: str | Unset = UNSET,
) -> Response[EventsStreamEventsResponse200 | Problem]:
    """Stream Events

     Every committed event, live, filtered as `/v1/events`. Resumes without gap or duplicate.

    Args:
        last_event_id_query (int | Unset): Resume after this event id (the Last-Event-ID header
            wins)
        type_ (str | Unset): Comma-separated event types; stage.* for a family
        order (str | Unset): Only this order's events
        department (str | Unset):
        at_risk (bool | Unset): Only events of orders at risk Default: False.
        last_event_id_header (str | Unset): Resume after this event id (a number past the newest
            event gets `reset`)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EventsStreamEventsResponse200 | Problem]
    """

    kwargs = _get_kwargs(
        last_event_id_query=last_event_id_query,
        type_=type_,
        order=order,
        department=department,
        at_risk=at_risk,
        last_event_id_header=last_event_id_header,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    last_event_id_query: int | Unset = UNSET,
    type_: str | Unset = UNSET,
    order: str | Unset = UNSET,
    department: str | Unset = UNSET,
    at_risk: bool | Unset = False,
    last_event_id_header: str | Unset = UNSET,
) -> EventsStreamEventsResponse200 | Problem | None:
    """Stream Events

     Every committed event, live, filtered as `/v1/events`. Resumes without gap or duplicate.

    Args:
        last_event_id_query (int | Unset): Resume after this event id (the Last-Event-ID header
            wins)
        type_ (str | Unset): Comma-separated event types; stage.* for a family
        order (str | Unset): Only this order's events
        department (str | Unset):
        at_risk (bool | Unset): Only events of orders at risk Default: False.
        last_event_id_header (str | Unset): Resume after this event id (a number past the newest
            event gets `reset`)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EventsStreamEventsResponse200 | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            last_event_id_query=last_event_id_query,
            type_=type_,
            order=order,
            department=department,
            at_risk=at_risk,
            last_event_id_header=last_event_id_header,
        )
    ).parsed
