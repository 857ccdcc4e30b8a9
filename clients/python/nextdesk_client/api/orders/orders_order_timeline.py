from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.orders_order_timeline_response_orders_order_timeline import (
    OrdersOrderTimelineResponseOrdersOrderTimeline,
)
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    reference: str,
    *,
    after: int | Unset = 0,
    limit: int | Unset = 500,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["after"] = after

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/orders/{reference}/timeline".format(
            reference=quote(str(reference), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> OrdersOrderTimelineResponseOrdersOrderTimeline | Problem | None:
    if response.status_code == 200:
        response_200 = OrdersOrderTimelineResponseOrdersOrderTimeline.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[OrdersOrderTimelineResponseOrdersOrderTimeline | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    reference: str,
    *,
    client: AuthenticatedClient,
    after: int | Unset = 0,
    limit: int | Unset = 500,
) -> Response[OrdersOrderTimelineResponseOrdersOrderTimeline | Problem]:
    """Order Timeline

     The order's events, oldest first, in the same envelope as the log.

    Args:
        reference (str):
        after (int | Unset): Return the order's events with an id above this Default: 0.
        limit (int | Unset):  Default: 500.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OrdersOrderTimelineResponseOrdersOrderTimeline | Problem]
    """

    kwargs = _get_kwargs(
        reference=reference,
        after=after,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    reference: str,
    *,
    client: AuthenticatedClient,
    after: int | Unset = 0,
    limit: int | Unset = 500,
) -> OrdersOrderTimelineResponseOrdersOrderTimeline | Problem | None:
    """Order Timeline

     The order's events, oldest first, in the same envelope as the log.

    Args:
        reference (str):
        after (int | Unset): Return the order's events with an id above this Default: 0.
        limit (int | Unset):  Default: 500.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OrdersOrderTimelineResponseOrdersOrderTimeline | Problem
    """

    return sync_detailed(
        reference=reference,
        client=client,
        after=after,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    reference: str,
    *,
    client: AuthenticatedClient,
    after: int | Unset = 0,
    limit: int | Unset = 500,
) -> Response[OrdersOrderTimelineResponseOrdersOrderTimeline | Problem]:
    """Order Timeline

     The order's events, oldest first, in the same envelope as the log.

    Args:
        reference (str):
        after (int | Unset): Return the order's events with an id above this Default: 0.
        limit (int | Unset):  Default: 500.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OrdersOrderTimelineResponseOrdersOrderTimeline | Problem]
    """

    kwargs = _get_kwargs(
        reference=reference,
        after=after,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    reference: str,
    *,
    client: AuthenticatedClient,
    after: int | Unset = 0,
    limit: int | Unset = 500,
) -> OrdersOrderTimelineResponseOrdersOrderTimeline | Problem | None:
    """Order Timeline

     The order's events, oldest first, in the same envelope as the log.

    Args:
        reference (str):
        after (int | Unset): Return the order's events with an id above this Default: 0.
        limit (int | Unset):  Default: 500.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OrdersOrderTimelineResponseOrdersOrderTimeline | Problem
    """

    return (
        await asyncio_detailed(
            reference=reference,
            client=client,
            after=after,
            limit=limit,
        )
    ).parsed
