from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.order_patch_type_0 import OrderPatchType0
from ...models.order_patch_type_1 import OrderPatchType1
from ...models.order_public import OrderPublic
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    reference: str,
    *,
    body: OrderPatchType0 | OrderPatchType1,
    if_match: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["If-Match"] = if_match

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/v1/orders/{reference}".format(
            reference=quote(str(reference), safe=""),
        ),
    }

    if isinstance(body, OrderPatchType0):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> OrderPublic | Problem | None:
    if response.status_code == 200:
        response_200 = OrderPublic.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 412:
        response_412 = Problem.from_dict(response.json())

        return response_412

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 428:
        response_428 = Problem.from_dict(response.json())

        return response_428

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
    body: OrderPatchType0 | OrderPatchType1,
    if_match: str,
) -> Response[OrderPublic | Problem]:
    """Patch Order

     Change the promise date, or cancel. Needs `If-Match`; a stale version gets 412.

    Args:
        reference (str):
        if_match (str):
        body (OrderPatchType0 | OrderPatchType1): Change the promise, or cancel. Fields left out
            are left alone.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OrderPublic | Problem]
    """

    kwargs = _get_kwargs(
        reference=reference,
        body=body,
        if_match=if_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    reference: str,
    *,
    client: AuthenticatedClient,
    body: OrderPatchType0 | OrderPatchType1,
    if_match: str,
) -> OrderPublic | Problem | None:
    """Patch Order

     Change the promise date, or cancel. Needs `If-Match`; a stale version gets 412.

    Args:
        reference (str):
        if_match (str):
        body (OrderPatchType0 | OrderPatchType1): Change the promise, or cancel. Fields left out
            are left alone.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OrderPublic | Problem
    """

    return sync_detailed(
        reference=reference,
        client=client,
        body=body,
        if_match=if_match,
    ).parsed


async def asyncio_detailed(
    reference: str,
    *,
    client: AuthenticatedClient,
    body: OrderPatchType0 | OrderPatchType1,
    if_match: str,
) -> Response[OrderPublic | Problem]:
    """Patch Order

     Change the promise date, or cancel. Needs `If-Match`; a stale version gets 412.

    Args:
        reference (str):
        if_match (str):
        body (OrderPatchType0 | OrderPatchType1): Change the promise, or cancel. Fields left out
            are left alone.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OrderPublic | Problem]
    """

    kwargs = _get_kwargs(
        reference=reference,
        body=body,
        if_match=if_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    reference: str,
    *,
    client: AuthenticatedClient,
    body: OrderPatchType0 | OrderPatchType1,
    if_match: str,
) -> OrderPublic | Problem | None:
    """Patch Order

     Change the promise date, or cancel. Needs `If-Match`; a stale version gets 412.

    Args:
        reference (str):
        if_match (str):
        body (OrderPatchType0 | OrderPatchType1): Change the promise, or cancel. Fields left out
            are left alone.

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
            body=body,
            if_match=if_match,
        )
    ).parsed
