from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.order_public import OrderPublic
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    reference: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/orders/{reference}".format(
            reference=quote(str(reference), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> OrderPublic | Problem | None:
    if response.status_code == 200:
        response_200 = OrderPublic.from_dict(response.json())

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
) -> Response[OrderPublic | Problem]:
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
) -> Response[OrderPublic | Problem]:
    """Get Order

     The status view: stages, ETA against the promise, costs and a customer-ready sentence.

    Args:
        reference (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OrderPublic | Problem]
    """

    kwargs = _get_kwargs(
        reference=reference,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    reference: str,
    *,
    client: AuthenticatedClient,
) -> OrderPublic | Problem | None:
    """Get Order

     The status view: stages, ETA against the promise, costs and a customer-ready sentence.

    Args:
        reference (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OrderPublic | Problem
    """

    return sync_detailed(
        reference=reference,
        client=client,
    ).parsed


async def asyncio_detailed(
    reference: str,
    *,
    client: AuthenticatedClient,
) -> Response[OrderPublic | Problem]:
    """Get Order

     The status view: stages, ETA against the promise, costs and a customer-ready sentence.

    Args:
        reference (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OrderPublic | Problem]
    """

    kwargs = _get_kwargs(
        reference=reference,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    reference: str,
    *,
    client: AuthenticatedClient,
) -> OrderPublic | Problem | None:
    """Get Order

     The status view: stages, ETA against the promise, costs and a customer-ready sentence.

    Args:
        reference (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OrderPublic | Problem
    """

    return (
        await asyncio_detailed(
            reference=reference,
            client=client,
        )
    ).parsed
