from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.events_list_events_response_events_list_events import EventsListEventsResponseEventsListEvents
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    after: int | Unset = 0,
    limit: int | Unset = 100,
    type_: str | Unset = UNSET,
    order: str | Unset = UNSET,
    department: str | Unset = UNSET,
    at_risk: bool | Unset = False,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["after"] = after

    params["limit"] = limit

    params["type"] = type_

    params["order"] = order

    params["department"] = department

    params["at_risk"] = at_risk

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/events",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EventsListEventsResponseEventsListEvents | Problem | None:
    if response.status_code == 200:
        response_200 = EventsListEventsResponseEventsListEvents.from_dict(response.json())

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
) -> Response[EventsListEventsResponseEventsListEvents | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    after: int | Unset = 0,
    limit: int | Unset = 100,
    type_: str | Unset = UNSET,
    order: str | Unset = UNSET,
    department: str | Unset = UNSET,
    at_risk: bool | Unset = False,
) -> Response[EventsListEventsResponseEventsListEvents | Problem]:
    """List Events

     The event log for pull consumers. Page with `after=next_after`; no event is ever skipped.

    When retention has removed events after `after` (`NEXTDESK_RETAIN_EVENTS_DAYS`), `reset`
    says so and the page starts where the log is complete again: refetch the state you show,
    then page on from `next_after`. Otherwise `reset` is null.

    Args:
        after (int | Unset): Return events with an id above this Default: 0.
        limit (int | Unset):  Default: 100.
        type_ (str | Unset): Comma-separated event types; stage.* for a family
        order (str | Unset): Only this order's events
        department (str | Unset):
        at_risk (bool | Unset): Only events of orders at risk Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EventsListEventsResponseEventsListEvents | Problem]
    """

    kwargs = _get_kwargs(
        after=after,
        limit=limit,
        type_=type_,
        order=order,
        department=department,
        at_risk=at_risk,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    after: int | Unset = 0,
    limit: int | Unset = 100,
    type_: str | Unset = UNSET,
    order: str | Unset = UNSET,
    department: str | Unset = UNSET,
    at_risk: bool | Unset = False,
) -> EventsListEventsResponseEventsListEvents | Problem | None:
    """List Events

     The event log for pull consumers. Page with `after=next_after`; no event is ever skipped.

    When retention has removed events after `after` (`NEXTDESK_RETAIN_EVENTS_DAYS`), `reset`
    says so and the page starts where the log is complete again: refetch the state you show,
    then page on from `next_after`. Otherwise `reset` is null.

    Args:
        after (int | Unset): Return events with an id above this Default: 0.
        limit (int | Unset):  Default: 100.
        type_ (str | Unset): Comma-separated event types; stage.* for a family
        order (str | Unset): Only this order's events
        department (str | Unset):
        at_risk (bool | Unset): Only events of orders at risk Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EventsListEventsResponseEventsListEvents | Problem
    """

    return sync_detailed(
        client=client,
        after=after,
        limit=limit,
        type_=type_,
        order=order,
        department=department,
        at_risk=at_risk,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    after: int | Unset = 0,
    limit: int | Unset = 100,
    type_: str | Unset = UNSET,
    order: str | Unset = UNSET,
    department: str | Unset = UNSET,
    at_risk: bool | Unset = False,
) -> Response[EventsListEventsResponseEventsListEvents | Problem]:
    """List Events

     The event log for pull consumers. Page with `after=next_after`; no event is ever skipped.

    When retention has removed events after `after` (`NEXTDESK_RETAIN_EVENTS_DAYS`), `reset`
    says so and the page starts where the log is complete again: refetch the state you show,
    then page on from `next_after`. Otherwise `reset` is null.

    Args:
        after (int | Unset): Return events with an id above this Default: 0.
        limit (int | Unset):  Default: 100.
        type_ (str | Unset): Comma-separated event types; stage.* for a family
        order (str | Unset): Only this order's events
        department (str | Unset):
        at_risk (bool | Unset): Only events of orders at risk Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EventsListEventsResponseEventsListEvents | Problem]
    """

    kwargs = _get_kwargs(
        after=after,
        limit=limit,
        type_=type_,
        order=order,
        department=department,
        at_risk=at_risk,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    after: int | Unset = 0,
    limit: int | Unset = 100,
    type_: str | Unset = UNSET,
    order: str | Unset = UNSET,
    department: str | Unset = UNSET,
    at_risk: bool | Unset = False,
) -> EventsListEventsResponseEventsListEvents | Problem | None:
    """List Events

     The event log for pull consumers. Page with `after=next_after`; no event is ever skipped.

    When retention has removed events after `after` (`NEXTDESK_RETAIN_EVENTS_DAYS`), `reset`
    says so and the page starts where the log is complete again: refetch the state you show,
    then page on from `next_after`. Otherwise `reset` is null.

    Args:
        after (int | Unset): Return events with an id above this Default: 0.
        limit (int | Unset):  Default: 100.
        type_ (str | Unset): Comma-separated event types; stage.* for a family
        order (str | Unset): Only this order's events
        department (str | Unset):
        at_risk (bool | Unset): Only events of orders at risk Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EventsListEventsResponseEventsListEvents | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            after=after,
            limit=limit,
            type_=type_,
            order=order,
            department=department,
            at_risk=at_risk,
        )
    ).parsed
