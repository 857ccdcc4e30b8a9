from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.page_order_summary import PageOrderSummary
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    state: str | Unset = UNSET,
    at_risk: bool | Unset = UNSET,
    department: str | Unset = UNSET,
    stage: str | Unset = UNSET,
    q: str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["state"] = state

    params["at_risk"] = at_risk

    params["department"] = department

    params["stage"] = stage

    params["q"] = q

    params["limit"] = limit

    params["cursor"] = cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/orders",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PageOrderSummary | Problem | None:
    if response.status_code == 200:
        response_200 = PageOrderSummary.from_dict(response.json())

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
) -> Response[PageOrderSummary | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    state: str | Unset = UNSET,
    at_risk: bool | Unset = UNSET,
    department: str | Unset = UNSET,
    stage: str | Unset = UNSET,
    q: str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
) -> Response[PageOrderSummary | Problem]:
    """List Orders

     Newest first; pass `next_cursor` back as `cursor` for the next page.

    Args:
        state (str | Unset): One or more of open, at_risk, late, done, cancelled, comma-separated
        at_risk (bool | Unset):
        department (str | Unset): Orders with a current stage of this department
        stage (str | Unset): Orders whose current stages include this stage key
        q (str | Unset): Text in the reference or customer name
        limit (int | Unset):  Default: 50.
        cursor (str | Unset): `next_cursor` of the previous page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageOrderSummary | Problem]
    """

    kwargs = _get_kwargs(
        state=state,
        at_risk=at_risk,
        department=department,
        stage=stage,
        q=q,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    state: str | Unset = UNSET,
    at_risk: bool | Unset = UNSET,
    department: str | Unset = UNSET,
    stage: str | Unset = UNSET,
    q: str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
) -> PageOrderSummary | Problem | None:
    """List Orders

     Newest first; pass `next_cursor` back as `cursor` for the next page.

    Args:
        state (str | Unset): One or more of open, at_risk, late, done, cancelled, comma-separated
        at_risk (bool | Unset):
        department (str | Unset): Orders with a current stage of this department
        stage (str | Unset): Orders whose current stages include this stage key
        q (str | Unset): Text in the reference or customer name
        limit (int | Unset):  Default: 50.
        cursor (str | Unset): `next_cursor` of the previous page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageOrderSummary | Problem
    """

    return sync_detailed(
        client=client,
        state=state,
        at_risk=at_risk,
        department=department,
        stage=stage,
        q=q,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    state: str | Unset = UNSET,
    at_risk: bool | Unset = UNSET,
    department: str | Unset = UNSET,
    stage: str | Unset = UNSET,
    q: str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
) -> Response[PageOrderSummary | Problem]:
    """List Orders

     Newest first; pass `next_cursor` back as `cursor` for the next page.

    Args:
        state (str | Unset): One or more of open, at_risk, late, done, cancelled, comma-separated
        at_risk (bool | Unset):
        department (str | Unset): Orders with a current stage of this department
        stage (str | Unset): Orders whose current stages include this stage key
        q (str | Unset): Text in the reference or customer name
        limit (int | Unset):  Default: 50.
        cursor (str | Unset): `next_cursor` of the previous page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageOrderSummary | Problem]
    """

    kwargs = _get_kwargs(
        state=state,
        at_risk=at_risk,
        department=department,
        stage=stage,
        q=q,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    state: str | Unset = UNSET,
    at_risk: bool | Unset = UNSET,
    department: str | Unset = UNSET,
    stage: str | Unset = UNSET,
    q: str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
) -> PageOrderSummary | Problem | None:
    """List Orders

     Newest first; pass `next_cursor` back as `cursor` for the next page.

    Args:
        state (str | Unset): One or more of open, at_risk, late, done, cancelled, comma-separated
        at_risk (bool | Unset):
        department (str | Unset): Orders with a current stage of this department
        stage (str | Unset): Orders whose current stages include this stage key
        q (str | Unset): Text in the reference or customer name
        limit (int | Unset):  Default: 50.
        cursor (str | Unset): `next_cursor` of the previous page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageOrderSummary | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            state=state,
            at_risk=at_risk,
            department=department,
            stage=stage,
            q=q,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
