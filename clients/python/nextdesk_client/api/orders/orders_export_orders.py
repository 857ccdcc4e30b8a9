from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    state: str | Unset = UNSET,
    at_risk: bool | Unset = UNSET,
    department: str | Unset = UNSET,
    stage: str | Unset = UNSET,
    q: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["state"] = state

    params["at_risk"] = at_risk

    params["department"] = department

    params["stage"] = stage

    params["q"] = q

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/orders/export",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | str | None:
    if response.status_code == 200:
        response_200 = cast(str, response.content)
        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | str]:
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
) -> Response[Problem | str]:
    """Export Orders

     The orders the list's filters select, newest first, as CSV (streamed: any number of orders in
    constant memory). Columns: reference, flow, customer_name, customer_contact, promised_at,
    quoted_amount, currency, state, at_risk, current_stages, eta_likely_at, eta_latest_at, updated_at;
    dates in the business's time zone. The file imports as it is into `POST /v1/orders/import`.

    Args:
        state (str | Unset): One or more of open, at_risk, late, done, cancelled, comma-separated
        at_risk (bool | Unset):
        department (str | Unset): Orders with a current stage of this department
        stage (str | Unset): Orders whose current stages include this stage key
        q (str | Unset): Text in the reference or customer name

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | str]
    """

    kwargs = _get_kwargs(
        state=state,
        at_risk=at_risk,
        department=department,
        stage=stage,
        q=q,
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
) -> Problem | str | None:
    """Export Orders

     The orders the list's filters select, newest first, as CSV (streamed: any number of orders in
    constant memory). Columns: reference, flow, customer_name, customer_contact, promised_at,
    quoted_amount, currency, state, at_risk, current_stages, eta_likely_at, eta_latest_at, updated_at;
    dates in the business's time zone. The file imports as it is into `POST /v1/orders/import`.

    Args:
        state (str | Unset): One or more of open, at_risk, late, done, cancelled, comma-separated
        at_risk (bool | Unset):
        department (str | Unset): Orders with a current stage of this department
        stage (str | Unset): Orders whose current stages include this stage key
        q (str | Unset): Text in the reference or customer name

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | str
    """

    return sync_detailed(
        client=client,
        state=state,
        at_risk=at_risk,
        department=department,
        stage=stage,
        q=q,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    state: str | Unset = UNSET,
    at_risk: bool | Unset = UNSET,
    department: str | Unset = UNSET,
    stage: str | Unset = UNSET,
    q: str | Unset = UNSET,
) -> Response[Problem | str]:
    """Export Orders

     The orders the list's filters select, newest first, as CSV (streamed: any number of orders in
    constant memory). Columns: reference, flow, customer_name, customer_contact, promised_at,
    quoted_amount, currency, state, at_risk, current_stages, eta_likely_at, eta_latest_at, updated_at;
    dates in the business's time zone. The file imports as it is into `POST /v1/orders/import`.

    Args:
        state (str | Unset): One or more of open, at_risk, late, done, cancelled, comma-separated
        at_risk (bool | Unset):
        department (str | Unset): Orders with a current stage of this department
        stage (str | Unset): Orders whose current stages include this stage key
        q (str | Unset): Text in the reference or customer name

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | str]
    """

    kwargs = _get_kwargs(
        state=state,
        at_risk=at_risk,
        department=department,
        stage=stage,
        q=q,
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
) -> Problem | str | None:
    """Export Orders

     The orders the list's filters select, newest first, as CSV (streamed: any number of orders in
    constant memory). Columns: reference, flow, customer_name, customer_contact, promised_at,
    quoted_amount, currency, state, at_risk, current_stages, eta_likely_at, eta_latest_at, updated_at;
    dates in the business's time zone. The file imports as it is into `POST /v1/orders/import`.

    Args:
        state (str | Unset): One or more of open, at_risk, late, done, cancelled, comma-separated
        at_risk (bool | Unset):
        department (str | Unset): Orders with a current stage of this department
        stage (str | Unset): Orders whose current stages include this stage key
        q (str | Unset): Text in the reference or customer name

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | str
    """

    return (
        await asyncio_detailed(
            client=client,
            state=state,
            at_risk=at_risk,
            department=department,
            stage=stage,
            q=q,
        )
    ).parsed
