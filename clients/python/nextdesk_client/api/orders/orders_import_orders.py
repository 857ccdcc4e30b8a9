from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.order_import import OrderImport
from ...models.problem import Problem
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    *,
    body: File,
    dry_run: bool | Unset = False,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    params: dict[str, Any] = {}

    params["dry_run"] = dry_run

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/orders/import",
        "params": params,
    }

    _kwargs["content"] = body.payload
    headers["Content-Type"] = "text/csv"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> OrderImport | Problem | None:
    if response.status_code == 200:
        response_200 = OrderImport.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = OrderImport.from_dict(response.json())

        return response_201

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[OrderImport | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: File,
    dry_run: bool | Unset = False,
    idempotency_key: str | Unset = UNSET,
) -> Response[OrderImport | Problem]:
    """Import Orders

     Create orders from a CSV file, all of them or none: a 422 problem lists each bad row and column
    (`errors[].line`, `errors[].column`). Columns (a header line names them, in any order): reference,
    flow, customer_name, customer_contact, promised_at, quoted_amount, currency; required: reference,
    customer_name, promised_at, quoted_amount, currency. `promised_at`: ISO 8601, or `YYYY-MM-DD HH:MM`
    in the business's time zone; `quoted_amount`: a decimal with a point. UTF-8, a byte order mark
    allowed; the export's extra columns are ignored.

    Args:
        dry_run (bool | Unset): Check every row, create nothing (answers 200) Default: False.
        idempotency_key (str | Unset): A retry with the same key gets the first answer; the same
            key with another body: 422
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OrderImport | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        dry_run=dry_run,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: File,
    dry_run: bool | Unset = False,
    idempotency_key: str | Unset = UNSET,
) -> OrderImport | Problem | None:
    """Import Orders

     Create orders from a CSV file, all of them or none: a 422 problem lists each bad row and column
    (`errors[].line`, `errors[].column`). Columns (a header line names them, in any order): reference,
    flow, customer_name, customer_contact, promised_at, quoted_amount, currency; required: reference,
    customer_name, promised_at, quoted_amount, currency. `promised_at`: ISO 8601, or `YYYY-MM-DD HH:MM`
    in the business's time zone; `quoted_amount`: a decimal with a point. UTF-8, a byte order mark
    allowed; the export's extra columns are ignored.

    Args:
        dry_run (bool | Unset): Check every row, create nothing (answers 200) Default: False.
        idempotency_key (str | Unset): A retry with the same key gets the first answer; the same
            key with another body: 422
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OrderImport | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        dry_run=dry_run,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: File,
    dry_run: bool | Unset = False,
    idempotency_key: str | Unset = UNSET,
) -> Response[OrderImport | Problem]:
    """Import Orders

     Create orders from a CSV file, all of them or none: a 422 problem lists each bad row and column
    (`errors[].line`, `errors[].column`). Columns (a header line names them, in any order): reference,
    flow, customer_name, customer_contact, promised_at, quoted_amount, currency; required: reference,
    customer_name, promised_at, quoted_amount, currency. `promised_at`: ISO 8601, or `YYYY-MM-DD HH:MM`
    in the business's time zone; `quoted_amount`: a decimal with a point. UTF-8, a byte order mark
    allowed; the export's extra columns are ignored.

    Args:
        dry_run (bool | Unset): Check every row, create nothing (answers 200) Default: False.
        idempotency_key (str | Unset): A retry with the same key gets the first answer; the same
            key with another body: 422
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OrderImport | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        dry_run=dry_run,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: File,
    dry_run: bool | Unset = False,
    idempotency_key: str | Unset = UNSET,
) -> OrderImport | Problem | None:
    """Import Orders

     Create orders from a CSV file, all of them or none: a 422 problem lists each bad row and column
    (`errors[].line`, `errors[].column`). Columns (a header line names them, in any order): reference,
    flow, customer_name, customer_contact, promised_at, quoted_amount, currency; required: reference,
    customer_name, promised_at, quoted_amount, currency. `promised_at`: ISO 8601, or `YYYY-MM-DD HH:MM`
    in the business's time zone; `quoted_amount`: a decimal with a point. UTF-8, a byte order mark
    allowed; the export's extra columns are ignored.

    Args:
        dry_run (bool | Unset): Check every row, create nothing (answers 200) Default: False.
        idempotency_key (str | Unset): A retry with the same key gets the first answer; the same
            key with another body: 422
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OrderImport | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            dry_run=dry_run,
            idempotency_key=idempotency_key,
        )
    ).parsed
