from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.order_public import OrderPublic
from ...models.problem import Problem
from ...models.stage_update_receipt import StageUpdateReceipt
from ...types import UNSET, Response, Unset


def _get_kwargs(
    reference: str,
    stage: str,
    *,
    body: Any,
    prefer: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(prefer, Unset):
        headers["Prefer"] = prefer

    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/orders/{reference}/stages/{stage}/updates".format(
            reference=quote(str(reference), safe=""),
            stage=quote(str(stage), safe=""),
        ),
    }

    _kwargs["json"] = body

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> OrderPublic | StageUpdateReceipt | Problem | None:
    if response.status_code == 200:

        def _parse_response_200(data: object) -> OrderPublic | StageUpdateReceipt:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_200_type_0 = OrderPublic.from_dict(data)

                return response_200_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            response_200_type_1 = StageUpdateReceipt.from_dict(data)

            return response_200_type_1

        response_200 = _parse_response_200(response.json())

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

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[OrderPublic | StageUpdateReceipt | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    reference: str,
    stage: str,
    *,
    client: AuthenticatedClient,
    body: Any,
    prefer: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[OrderPublic | StageUpdateReceipt | Problem]:
    """Post Stage Update

     A status change and/or a revised finish, cost or note. Answers with the new status view,
    or with `Prefer: return=minimal` a receipt: the version and the ids of the events appended.

    An invalid transition is a 409 naming the current status and the allowed ones.

    Args:
        reference (str):
        stage (str):
        prefer (str | Unset): `return=minimal` (RFC 7240) answers with a receipt (the order's
            version and the ids of the events appended) instead of the status view, and says so in
            `Preference-Applied`
        idempotency_key (str | Unset): A retry with the same key gets the first answer; the same
            key with another body: 422
        body (Any): A technician's (or another system's) word on a stage; every field optional but
            one.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OrderPublic | StageUpdateReceipt | Problem]
    """

    kwargs = _get_kwargs(
        reference=reference,
        stage=stage,
        body=body,
        prefer=prefer,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    reference: str,
    stage: str,
    *,
    client: AuthenticatedClient,
    body: Any,
    prefer: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> OrderPublic | StageUpdateReceipt | Problem | None:
    """Post Stage Update

     A status change and/or a revised finish, cost or note. Answers with the new status view,
    or with `Prefer: return=minimal` a receipt: the version and the ids of the events appended.

    An invalid transition is a 409 naming the current status and the allowed ones.

    Args:
        reference (str):
        stage (str):
        prefer (str | Unset): `return=minimal` (RFC 7240) answers with a receipt (the order's
            version and the ids of the events appended) instead of the status view, and says so in
            `Preference-Applied`
        idempotency_key (str | Unset): A retry with the same key gets the first answer; the same
            key with another body: 422
        body (Any): A technician's (or another system's) word on a stage; every field optional but
            one.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OrderPublic | StageUpdateReceipt | Problem
    """

    return sync_detailed(
        reference=reference,
        stage=stage,
        client=client,
        body=body,
        prefer=prefer,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    reference: str,
    stage: str,
    *,
    client: AuthenticatedClient,
    body: Any,
    prefer: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[OrderPublic | StageUpdateReceipt | Problem]:
    """Post Stage Update

     A status change and/or a revised finish, cost or note. Answers with the new status view,
    or with `Prefer: return=minimal` a receipt: the version and the ids of the events appended.

    An invalid transition is a 409 naming the current status and the allowed ones.

    Args:
        reference (str):
        stage (str):
        prefer (str | Unset): `return=minimal` (RFC 7240) answers with a receipt (the order's
            version and the ids of the events appended) instead of the status view, and says so in
            `Preference-Applied`
        idempotency_key (str | Unset): A retry with the same key gets the first answer; the same
            key with another body: 422
        body (Any): A technician's (or another system's) word on a stage; every field optional but
            one.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OrderPublic | StageUpdateReceipt | Problem]
    """

    kwargs = _get_kwargs(
        reference=reference,
        stage=stage,
        body=body,
        prefer=prefer,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    reference: str,
    stage: str,
    *,
    client: AuthenticatedClient,
    body: Any,
    prefer: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> OrderPublic | StageUpdateReceipt | Problem | None:
    """Post Stage Update

     A status change and/or a revised finish, cost or note. Answers with the new status view,
    or with `Prefer: return=minimal` a receipt: the version and the ids of the events appended.

    An invalid transition is a 409 naming the current status and the allowed ones.

    Args:
        reference (str):
        stage (str):
        prefer (str | Unset): `return=minimal` (RFC 7240) answers with a receipt (the order's
            version and the ids of the events appended) instead of the status view, and says so in
            `Preference-Applied`
        idempotency_key (str | Unset): A retry with the same key gets the first answer; the same
            key with another body: 422
        body (Any): A technician's (or another system's) word on a stage; every field optional but
            one.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OrderPublic | StageUpdateReceipt | Problem
    """

    return (
        await asyncio_detailed(
            reference=reference,
            stage=stage,
            client=client,
            body=body,
            prefer=prefer,
            idempotency_key=idempotency_key,
        )
    ).parsed
