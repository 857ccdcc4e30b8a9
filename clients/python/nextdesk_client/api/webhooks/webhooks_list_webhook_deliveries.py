from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.delivery_status import DeliveryStatus
from ...models.page_delivery_public import PageDeliveryPublic
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    endpoint_id: str,
    *,
    status: DeliveryStatus | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 50,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    params["cursor"] = cursor

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/webhooks/{endpoint_id}/deliveries".format(
            endpoint_id=quote(str(endpoint_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PageDeliveryPublic | Problem | None:
    if response.status_code == 200:
        response_200 = PageDeliveryPublic.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

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
) -> Response[PageDeliveryPublic | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    endpoint_id: str,
    *,
    client: AuthenticatedClient,
    status: DeliveryStatus | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 50,
) -> Response[PageDeliveryPublic | Problem]:
    """List Webhook Deliveries

     Deliveries, newest first, each with its attempts: status code, duration, error, the start of
    the answer, and when the next attempt is due.

    Args:
        endpoint_id (str):
        status (DeliveryStatus | Unset):
        cursor (str | Unset): `next_cursor` of the previous page
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageDeliveryPublic | Problem]
    """

    kwargs = _get_kwargs(
        endpoint_id=endpoint_id,
        status=status,
        cursor=cursor,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    endpoint_id: str,
    *,
    client: AuthenticatedClient,
    status: DeliveryStatus | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 50,
) -> PageDeliveryPublic | Problem | None:
    """List Webhook Deliveries

     Deliveries, newest first, each with its attempts: status code, duration, error, the start of
    the answer, and when the next attempt is due.

    Args:
        endpoint_id (str):
        status (DeliveryStatus | Unset):
        cursor (str | Unset): `next_cursor` of the previous page
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageDeliveryPublic | Problem
    """

    return sync_detailed(
        endpoint_id=endpoint_id,
        client=client,
        status=status,
        cursor=cursor,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    endpoint_id: str,
    *,
    client: AuthenticatedClient,
    status: DeliveryStatus | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 50,
) -> Response[PageDeliveryPublic | Problem]:
    """List Webhook Deliveries

     Deliveries, newest first, each with its attempts: status code, duration, error, the start of
    the answer, and when the next attempt is due.

    Args:
        endpoint_id (str):
        status (DeliveryStatus | Unset):
        cursor (str | Unset): `next_cursor` of the previous page
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageDeliveryPublic | Problem]
    """

    kwargs = _get_kwargs(
        endpoint_id=endpoint_id,
        status=status,
        cursor=cursor,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    endpoint_id: str,
    *,
    client: AuthenticatedClient,
    status: DeliveryStatus | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 50,
) -> PageDeliveryPublic | Problem | None:
    """List Webhook Deliveries

     Deliveries, newest first, each with its attempts: status code, duration, error, the start of
    the answer, and when the next attempt is due.

    Args:
        endpoint_id (str):
        status (DeliveryStatus | Unset):
        cursor (str | Unset): `next_cursor` of the previous page
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageDeliveryPublic | Problem
    """

    return (
        await asyncio_detailed(
            endpoint_id=endpoint_id,
            client=client,
            status=status,
            cursor=cursor,
            limit=limit,
        )
    ).parsed
