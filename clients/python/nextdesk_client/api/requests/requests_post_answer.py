from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.request_answer_in import RequestAnswerIn
from ...models.request_public import RequestPublic
from ...types import UNSET, Response, Unset


def _get_kwargs(
    reference: str,
    request_id: int,
    *,
    body: RequestAnswerIn,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/orders/{reference}/requests/{request_id}/answer".format(
            reference=quote(str(reference), safe=""),
            request_id=quote(str(request_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | RequestPublic | None:
    if response.status_code == 200:
        response_200 = RequestPublic.from_dict(response.json())

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
) -> Response[Problem | RequestPublic]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    reference: str,
    request_id: int,
    *,
    client: AuthenticatedClient,
    body: RequestAnswerIn,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | RequestPublic]:
    """Post Answer

     A department's answer: text, and for a change `accepted` or `refused`.

    Answers for the named stage, or for every unanswered stage of the caller's departments. An
    answer to a request every department has answered is a 409.

    Args:
        reference (str):
        request_id (int):
        idempotency_key (str | Unset): A retry with the same key gets the first answer; the same
            key with another body: 422
        body (RequestAnswerIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RequestPublic]
    """

    kwargs = _get_kwargs(
        reference=reference,
        request_id=request_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    reference: str,
    request_id: int,
    *,
    client: AuthenticatedClient,
    body: RequestAnswerIn,
    idempotency_key: str | Unset = UNSET,
) -> Problem | RequestPublic | None:
    """Post Answer

     A department's answer: text, and for a change `accepted` or `refused`.

    Answers for the named stage, or for every unanswered stage of the caller's departments. An
    answer to a request every department has answered is a 409.

    Args:
        reference (str):
        request_id (int):
        idempotency_key (str | Unset): A retry with the same key gets the first answer; the same
            key with another body: 422
        body (RequestAnswerIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RequestPublic
    """

    return sync_detailed(
        reference=reference,
        request_id=request_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    reference: str,
    request_id: int,
    *,
    client: AuthenticatedClient,
    body: RequestAnswerIn,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | RequestPublic]:
    """Post Answer

     A department's answer: text, and for a change `accepted` or `refused`.

    Answers for the named stage, or for every unanswered stage of the caller's departments. An
    answer to a request every department has answered is a 409.

    Args:
        reference (str):
        request_id (int):
        idempotency_key (str | Unset): A retry with the same key gets the first answer; the same
            key with another body: 422
        body (RequestAnswerIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RequestPublic]
    """

    kwargs = _get_kwargs(
        reference=reference,
        request_id=request_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    reference: str,
    request_id: int,
    *,
    client: AuthenticatedClient,
    body: RequestAnswerIn,
    idempotency_key: str | Unset = UNSET,
) -> Problem | RequestPublic | None:
    """Post Answer

     A department's answer: text, and for a change `accepted` or `refused`.

    Answers for the named stage, or for every unanswered stage of the caller's departments. An
    answer to a request every department has answered is a 409.

    Args:
        reference (str):
        request_id (int):
        idempotency_key (str | Unset): A retry with the same key gets the first answer; the same
            key with another body: 422
        body (RequestAnswerIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RequestPublic
    """

    return (
        await asyncio_detailed(
            reference=reference,
            request_id=request_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
