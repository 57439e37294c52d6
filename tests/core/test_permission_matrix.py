"""The permission matrix, generated from the URL configuration and the OpenAPI schema.

Nobody adds an endpoint here: every URL pattern of the project is found by walking the resolver,
and each one is checked for every subject (logged out, each role of Pemda A, the admin of Pemda B,
the superadmin) and every HTTP method it answers. The expected answer comes from the permission
the view declares (``permission``, and ``write_permission`` for API writes) and the registry in
``pakta.core.permissions``:

    logged out                      -> 302 to the login page (HTML) or 401 (API)
    a role without the permission   -> 403
    a role with the permission      -> allowed (neither 401, 403 nor 404)
    a user of another Pemda         -> 404 (the Pemda's existence is not revealed)
    the superadmin                  -> allowed
    Pemda A's URL, Pemda B's object -> 404 for everyone allowed on the URL

A view of objects that belong to people (one's own pact) declares ``object_permission``: besides
the people named on the object, only holders of that permission see it; for the others the
object does not exist (404). The matrix's objects are named on no subject's account.

Superadmin-only views (``SuperadminRequiredMixin``) answer 403 to every other user, including
users of other Pemda, since no Pemda membership gives access to them.

When this test fails for a new URL, teach it: a public URL goes into ``PUBLIC``, a page for
any logged-in user into ``LOGIN_ONLY``, a new plain URL argument into ``SIMPLE_KWARGS``. A new
model behind ``<pk>`` needs a factory: an app declares it in ``tests/<app>/matrix.py`` as

    FACTORIES = {Pact: make_pact}   # make_pact(world: World, side: "a" | "b") -> Pact

creating the object through the services in ``world.pemda[side]``; for Pemda A inside
``world.unit["a"]`` (the Kepala OPD's unit), so that unit-scoped roles can see it. Never silence
a URL.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import itertools
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.views import APIView

from pakta.accounts.models import Membership, User
from pakta.accounts.services import membership_grant, user_create
from pakta.core.exports import rows_to_csv
from pakta.core.mixins import PemdaPermissionMixin, SuperadminRequiredMixin
from pakta.core.permissions import get_permission
from pakta.core.roles import Role
from pakta.org import services as org
from pakta.org.imports import TEMPLATE_EXAMPLE, TEMPLATE_HEADERS, import_job_create
from pakta.org.models import ImportJob, Official, Pemda, Position, Unit
from pakta.pacts import services as pacts
from pakta.pacts.models import Pact, PactTemplate, SigningEvent
from pakta.signing import services as signing
from pakta.signing.models import SigningIdentity
from tests.conftest import client_for

# Reachable without logging in. Each is requested logged out and must not ask for a login.
PUBLIC = {
    "accounts:login",
    "accounts:logout",  # POST only; logging out when logged out is harmless
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:invitation_accept",
    "accounts:password_reset_complete",
    "healthz",
    "openapi",
    "api_docs",
    "set_language",
    "javascript-catalog",
    "signing:crl",  # the revocation list PDF readers fetch
    # An external witness signs the ceremony record through a one-time link (no account).
    "witness:sign",
    "witness:pdf",
    # The ceremony kiosk: a browser in kiosk mode (opened by an admin) signs here, no login.
    "kiosk:home",
    "kiosk:done",
    "kiosk:close",
    "signing:ca_pem",  # the CA certificate: the trust anchor for outside verifiers
    "signing:ca_der",
    # The transparency log: its page, checkpoints, key and proofs, for anyone to check.
    "transparency:home",
    "transparency:checkpoint",
    "transparency:checkpoint_at",
    "transparency:key",
    "transparency:inclusion",
    "transparency:consistency",
    # The public portal: document verification and each Pemda's transparency page.
    "portal:verify_home",
    "portal:verify_upload",
    "portal:verify",
    "portal:transparency",
    # The same verification through the API (by token, by upload).
    "verify-document",
    "verify-upload",
    # The internal integrity survey: answering with a single-use token, anonymously.
    "surveypublic:answer",
    # Whistleblowing: filing a report and following it with the receipt code (no login).
    "report_public:index",  # choose the Pemda to report to
    "report_public:intake",
    "report_public:login",
    "report_public:case",
    "report_public:message",
    "report_public:identity",
    "report_public:acknowledgement",
    "report_public:file",
    "report_public:logout",
    "core:favicon",  # the site icon, asked for by browsers
    "gratification_public:summary",  # counts only, never a reporter or a giver
    "conflicts_public:counts",  # conflicts of interest per Pemda: counts only
    "procurement_public:pemda",  # flagged-package counts per indicator, never case notes
    "discipline_public:public",  # a Pemda's discipline figures: counts by level and clause only
}
# Pages of one's own account, for any logged-in user, tied to no Pemda.
LOGIN_ONLY = {
    "home",
    "accounts:api_token",
    "accounts:my_data",
    "accounts:password_change",
    "accounts:totp_setup",
    "accounts:totp_verify",
    "notifications:list",  # one's own messages
}
# Arguments of URLs that are not objects: a value that the view accepts.
SIMPLE_KWARGS = {
    "fmt": "csv",
    "size": 1,  # a tree size of the transparency log
    "format": "json",
    "uidb64": "MQ",
    "token": "set-password",
    "year": 2024,  # a seeded SPI survey year
    "kind": "officials",  # a searchable picker (org.pickers)
}
API_PREFIX = "/api/"
WRITE_METHODS = ("post", "put", "patch", "delete")
ALLOWED_DENIALS = (401, 403, 404)


@dataclasses.dataclass
class Endpoint:
    """One URL pattern, what it answers and who may use it."""

    name: str
    kwargs: tuple[str, ...]
    view: Any = None
    kind: str = ""  # public | login_only | tenant | superadmin
    is_api: bool = False
    methods: tuple[str, ...] = ("get",)
    permissions: dict[str, str] = dataclasses.field(default_factory=dict)  # method -> code
    model: Any = None
    problem: str = ""

    @property
    def id(self) -> str:
        return f"{self.name}({','.join(self.kwargs)})" if self.kwargs else self.name


def _pattern_kwargs(pattern: Any) -> list[str]:
    """The named arguments of a route or regex pattern (DRF routers use regexes)."""
    return list(pattern.regex.groupindex)


def _walk(
    patterns: list[Any], namespace: str = "", kwargs: tuple[str, ...] = ()
) -> Iterator[tuple[str, URLPattern, tuple[str, ...]]]:
    for entry in patterns:
        names = kwargs + tuple(n for n in _pattern_kwargs(entry.pattern) if n not in kwargs)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, inner, names)
        else:
            yield namespace, entry, names


def _view_class(callback: Any) -> Any:
    return getattr(callback, "cls", None) or getattr(callback, "view_class", None)


def _model_of(view: Any) -> Any:
    if getattr(view, "model", None) is not None:
        return view.model
    queryset = getattr(view, "queryset", None)
    if queryset is not None:
        return queryset.model
    serializer = getattr(view, "serializer_class", None)
    meta = getattr(serializer, "Meta", None)
    return getattr(meta, "model", None)


def _classify(namespace: str, pattern: URLPattern, kwargs: tuple[str, ...]) -> Endpoint:
    if not pattern.name:
        return Endpoint(
            name=str(pattern.pattern),
            kwargs=kwargs,
            problem=f"The URL pattern {str(pattern.pattern)!r} has no name, so the permission "
            "matrix cannot build its URL. Give it a name.",
        )
    name = f"{namespace}:{pattern.name}" if namespace else pattern.name
    endpoint = Endpoint(name=name, kwargs=kwargs)
    callback = pattern.callback
    view = endpoint.view = _view_class(callback)
    actions = getattr(callback, "actions", None)
    endpoint.is_api = actions is not None or (view is not None and issubclass(view, APIView))
    if actions is not None:
        endpoint.methods = tuple(m for m in ("get", *WRITE_METHODS) if m in actions)
    elif view is not None:
        # HTML forms: GET and POST (a FormView's PUT only repeats its POST).
        candidates = (*WRITE_METHODS,) if endpoint.is_api else ("post", "delete")
        endpoint.methods = tuple(
            m for m in ("get", *candidates) if hasattr(view, m) and m in view.http_method_names
        )

    if name in PUBLIC:
        endpoint.kind = "public"
    elif name in LOGIN_ONLY:
        endpoint.kind = "login_only"
    elif view is not None and issubclass(view, SuperadminRequiredMixin):
        endpoint.kind = "superadmin"
    elif "pemda" in kwargs:
        endpoint.kind = "tenant"
    else:
        endpoint.problem = (
            f"{name} is neither tied to a Pemda (no <pemda> in its URL) nor superadmin-only. "
            "If it is public, add it to PUBLIC in tests/core/test_permission_matrix.py; if it is "
            "for any logged-in user, add it to LOGIN_ONLY."
        )
        return endpoint

    if endpoint.kind in ("tenant", "superadmin"):
        if view is None:
            endpoint.problem = (
                f"{name} is a function view; Pemda and superadmin pages must be class-based views "
                "using PemdaPermissionMixin / SuperadminRequiredMixin (or PemdaPermission for the "
                "API) so that they declare their permission."
            )
            return endpoint
        read = getattr(view, "permission", "")
        if not read:
            endpoint.problem = f"{name} ({view.__name__}) declares no `permission`."
            return endpoint
        if (
            endpoint.kind == "tenant"
            and not endpoint.is_api
            and not issubclass(view, PemdaPermissionMixin)
        ):
            endpoint.problem = f"{name} ({view.__name__}) does not use PemdaPermissionMixin."
            return endpoint
        write = getattr(view, "write_permission", read) if endpoint.is_api else read
        for method in endpoint.methods:
            code = read if method == "get" else write
            try:
                get_permission(code)
            except LookupError as error:
                endpoint.problem = f"{name}: {error}"
                return endpoint
            endpoint.permissions[method] = code

    for kwarg in kwargs:
        if kwarg == "pemda" or kwarg in SIMPLE_KWARGS:
            continue
        if kwarg == "pk":
            endpoint.model = _model_of(view)
            if endpoint.model is None:
                endpoint.problem = (
                    f"{name} takes <pk> but its view declares no `model` (or queryset/serializer "
                    "model), so the matrix cannot create an object for it."
                )
            elif endpoint.model not in OBJECT_FACTORIES:
                endpoint.problem = (
                    f"{name} takes <pk> of {endpoint.model.__name__}, which the permission matrix "
                    f"cannot create yet: add a factory for it to OBJECT_FACTORIES in "
                    "tests/core/test_permission_matrix.py, or to FACTORIES in "
                    f"tests/{endpoint.model._meta.app_label}/matrix.py (see the module docstring)."
                )
            continue
        endpoint.problem = (
            f"{name} takes the URL argument <{kwarg}>, which the permission matrix cannot fill: "
            "teach it SIMPLE_KWARGS in tests/core/test_permission_matrix.py (a plain value), or "
            "name the object argument <pk> and declare the view's `model`."
        )
    return endpoint


# --- Objects behind <pk>, made through the services ---------------------------------------------


class World:
    """Pemda A's and Pemda B's objects; Pemda A's live in ``unit_a``, the Kepala OPD's unit."""

    def __init__(self, superadmin: User, pemda_a: Pemda, pemda_b: Pemda, official_a: Official):
        self.superadmin = superadmin
        self.pemda = {"a": pemda_a, "b": pemda_b}
        position_a = official_a.assignments.get().position
        self.unit = {"a": position_a.unit}
        self.position = {"a": position_a}
        self.official = {"a": official_a}
        self.serial = itertools.count(2)
        self.unit["b"] = org.unit_create(pemda=pemda_b, name="Dinas Beta", acting_user=superadmin)
        self.position["b"] = self.new_position("b")
        self.official["b"] = self.new_official("b")
        self.cache: dict[tuple[Any, str], int] = {}

    def new_unit(self, side: str) -> Unit:
        return org.unit_create(
            pemda=self.pemda[side],
            name=f"Bidang {next(self.serial)}",
            parent=self.unit[side],
            kind=Unit.Kind.SUB_UNIT,
            acting_user=self.superadmin,
        )

    def new_position(self, side: str) -> Position:
        return org.position_create(
            pemda=self.pemda[side],
            unit=self.unit[side],
            title=f"Analis {next(self.serial)}",
            level=Position.Level.FUNGSIONAL,
            acting_user=self.superadmin,
        )

    def new_official(self, side: str) -> Official:
        official = org.official_create(
            pemda=self.pemda[side],
            nip=f"19700101200003{'1' if side == 'a' else '2'}{next(self.serial):03d}",
            name=f"Pegawai {side.upper()}",
            acting_user=self.superadmin,
        )
        org.assignment_start(
            official=official,
            position=self.position[side],
            start_date=dt.date(2024, 1, 2),
            acting_user=self.superadmin,
        )
        return official

    def new_import_job(self, side: str) -> ImportJob:
        return import_job_create(
            pemda=self.pemda[side],
            file_name="pegawai.csv",
            content=rows_to_csv(TEMPLATE_HEADERS, [TEMPLATE_EXAMPLE]),
            acting_user=self.superadmin,
            enqueue=False,
        )

    def new_user(self, side: str) -> User:
        """An account holding a role in Pemda ``side`` (what the user pages of a Pemda list)."""
        return self.new_membership(side).user

    def new_membership(self, side: str) -> Membership:
        user = user_create(
            username=f"user-{next(self.serial)}", password=None, acting_user=self.superadmin
        )
        return membership_grant(
            user=user, pemda=self.pemda[side], role=Role.PEGAWAI, acting_user=self.superadmin
        )

    def new_pact_template(self, side: str) -> PactTemplate:
        return pacts.template_create(pemda=self.pemda[side], acting_user=self.superadmin)

    def new_signing_event(self, side: str) -> SigningEvent:
        return pacts.event_create(
            pemda=self.pemda[side],
            acting_user=self.superadmin,
            title=f"Penandatanganan {next(self.serial)}",
            date=dt.date(2026, 1, 8),
            place="Aula",
            template=pacts.template_current(self.pemda[side], self.superadmin),
        )

    def new_pact(self, side: str) -> Pact:
        """The pact a new position brings to a new official (named on no subject's account)."""
        return Pact.objects.get(assignment__official=self.new_official(side))

    def new_signing_identity(self, side: str) -> SigningIdentity:
        return signing.identity_issue(official=self.official[side], acting_user=self.superadmin)

    def pk(self, model: Any, side: str, *, fresh: bool = False) -> int:
        """The pk of an object of ``model`` in Pemda A or B; a new one for writes."""
        if fresh or (model, side) not in self.cache:
            pk = OBJECT_FACTORIES[model](self, side).pk
            if fresh:
                return pk
            self.cache[(model, side)] = pk
        return self.cache[(model, side)]


OBJECT_FACTORIES: dict[Any, Callable[[World, str], Any]] = {
    Unit: World.new_unit,
    Position: World.new_position,
    Official: World.new_official,
    ImportJob: World.new_import_job,
    User: World.new_user,
    Membership: World.new_membership,
    PactTemplate: World.new_pact_template,
    SigningEvent: World.new_signing_event,
    Pact: World.new_pact,
    SigningIdentity: World.new_signing_identity,
}


def _app_factories() -> dict[Any, Callable[[World, str], Any]]:
    """The factories apps declare in ``tests/<app>/matrix.py``."""
    found: dict[Any, Callable[[World, str], Any]] = {}
    tests_dir = Path(__file__).resolve().parent.parent
    for module_file in sorted(tests_dir.glob("*/matrix.py")):
        module = importlib.import_module(f"tests.{module_file.parent.name}.matrix")
        found.update(module.FACTORIES)
    return found


OBJECT_FACTORIES.update(_app_factories())


def _url(endpoint: Endpoint, world: World | None, *, pemda: str = "a", obj: str = "a", fresh=False):
    kwargs: dict[str, Any] = {}
    for name in endpoint.kwargs:
        if name == "pemda":
            kwargs[name] = world.pemda[pemda].slug if world else "alfa"
        elif name == "pk":
            assert world is not None
            kwargs[name] = world.pk(endpoint.model, obj, fresh=fresh)
        else:
            kwargs[name] = SIMPLE_KWARGS[name]
    return reverse(endpoint.name, kwargs=kwargs)


def _discover() -> list[Endpoint]:
    return [_classify(*found) for found in _walk(get_resolver().url_patterns)]


ENDPOINTS = _discover()
CHECKED = [e for e in ENDPOINTS if e.kind in ("tenant", "superadmin") or e.problem]


# --- Requests and expectations ------------------------------------------------------------------


def _request(client: Client, endpoint: Endpoint, method: str, url: str) -> tuple[int, str]:
    """Send one request; return the status and where a redirect goes."""
    try:
        if method == "get":
            response = client.get(url)
        elif endpoint.is_api:
            response = client.generic(method.upper(), url, "{}", content_type="application/json")
        else:
            response = client.generic(method.upper(), url, "", content_type="multipart/form-data")
    except Exception as error:  # a crash is a finding, reported with the others
        return 500, f"{type(error).__name__}: {error}"
    if response.status_code == 403 and b'"rule_denied"' in response.getvalue()[:2000]:
        # The permission layer let it through; the service's own rule refused (code
        # rule_denied, pakta.core.api.RuleDenied): for this matrix, the role is allowed.
        return 400, ""
    return response.status_code, response.get("Location", "")


def _allowed(status: int, location: str) -> bool:
    if status in ALLOWED_DENIALS or status >= 500:
        return False
    # A redirect to the login or the two-factor page is a refusal in disguise.
    return not (300 <= status < 400 and location.startswith("/accounts/"))


def _show(status: int, location: str) -> str:
    return f"{status} {location}".strip()


@pytest.fixture
def world(superadmin: User, pemda_a: Pemda, pemda_b: Pemda, official_a: Official) -> World:
    return World(superadmin, pemda_a, pemda_b, official_a)


@pytest.fixture
def subjects(
    role_users: dict[str, User], other_pemda_admin: User, superadmin: User
) -> dict[str, Client | None]:
    clients: dict[str, Client | None] = {"logged out": None}
    clients["admin of Pemda B"] = client_for(other_pemda_admin)
    for role, user in role_users.items():
        clients[role] = client_for(user)
    clients["superadmin"] = client_for(superadmin)
    return clients


def _expected(endpoint: Endpoint, subject: str, method: str) -> str:
    """'login' | '403' | '404' | 'allowed'."""
    if subject == "logged out":
        return "login"
    if subject == "superadmin":
        return "allowed"
    if endpoint.kind == "superadmin":
        return "403"
    if subject == "admin of Pemda B":
        return "404"
    roles = get_permission(endpoint.permissions[method]).roles
    if Role(subject) not in roles:
        return "403"
    object_permission = getattr(endpoint.view, "object_permission", "")
    if object_permission and "pk" in endpoint.kwargs:
        return "allowed" if Role(subject) in get_permission(object_permission).roles else "404"
    return "allowed"


def _matches(expected: str, endpoint: Endpoint, status: int, location: str) -> bool:
    if expected == "login":
        if endpoint.is_api:
            return status == 401
        return status == 302 and location.startswith(reverse("accounts:login"))
    if expected == "allowed":
        return _allowed(status, location)
    return status == int(expected)


@pytest.mark.parametrize("endpoint", CHECKED, ids=[e.id for e in CHECKED])
def test_permission_matrix(endpoint: Endpoint, world: World, subjects: dict[str, Any]) -> None:
    assert not endpoint.problem, endpoint.problem
    failures = []
    for (subject, client), method in itertools.product(subjects.items(), endpoint.methods):
        # A write may change or remove its object: each write gets a new one.
        url = _url(endpoint, world, fresh=method != "get")
        expected = _expected(endpoint, subject, method)
        status, location = _request(client or Client(), endpoint, method, url)
        if not _matches(expected, endpoint, status, location):
            failures.append((method.upper(), url, subject, expected, _show(status, location)))
        if "pk" in endpoint.kwargs and expected == "allowed":
            # Pemda A's address with Pemda B's object: as if it did not exist.
            url = _url(endpoint, world, obj="b", fresh=method != "get")
            status, location = _request(client, endpoint, method, url)
            if status != 404:
                failures.append((method.upper(), url, subject, "404", _show(status, location)))
    assert not failures, "\n".join(["(method, url, subject, expected, got):", *map(str, failures)])


@pytest.mark.parametrize(
    "endpoint",
    [e for e in ENDPOINTS if e.kind == "login_only"],
    ids=lambda e: e.id,
)
def test_own_account_pages_need_a_login(endpoint: Endpoint, subjects: dict[str, Any]) -> None:
    failures = []
    url = _url(endpoint, None)
    for subject, client in subjects.items():
        status, location = _request(client or Client(), endpoint, "get", url)
        expected = "login" if client is None else "allowed"
        if not _matches(expected, endpoint, status, location):
            failures.append((url, subject, expected, _show(status, location)))
    assert not failures, "\n".join(map(str, failures))


@pytest.mark.parametrize(
    "endpoint", [e for e in ENDPOINTS if e.kind == "public"], ids=lambda e: e.id
)
def test_public_pages_answer_without_login(endpoint: Endpoint, db: Any) -> None:
    url = _url(endpoint, None)
    status, location = _request(Client(), endpoint, "get", url)
    assert status < 500, (url, status, location)
    assert status not in (401, 403), (url, status)
    assert not location.startswith(reverse("accounts:login")), (url, location)


def test_every_url_is_classified() -> None:
    """The walk found the project's URLs, and each has a place in the matrix."""
    names = {e.name for e in ENDPOINTS}
    # A few known endpoints, so that a broken walk cannot pass by finding nothing.
    assert {"org:official_detail", "org:pemda_create", "official-list", "official-detail"} <= names
    assert names >= PUBLIC, f"PUBLIC lists URLs that no longer exist: {PUBLIC - names}"
    assert names >= LOGIN_ONLY, f"LOGIN_ONLY lists URLs that no longer exist: {LOGIN_ONLY - names}"
    problems = [e.problem for e in ENDPOINTS if e.problem]
    assert not problems, "\n".join(problems)


# --- The OpenAPI schema and the URL configuration agree -------------------------------------------


def _schema_regex(path: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", path)
    return re.compile("^" + "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts))


def test_schema_and_url_configuration_agree(world: World, client: Client) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    paths: dict[str, dict[str, Any]] = response.json()["paths"]
    assert paths, "the OpenAPI schema lists no paths"

    # Format-suffix routes (".json") are the same operations as their plain routes.
    api = [
        e
        for e in ENDPOINTS
        if e.is_api
        and e.kind in ("tenant", "superadmin")
        and "format" not in e.kwargs
        and not e.problem
    ]
    concrete = {e.id: _url(e, world) for e in api}
    public_api = [e for e in ENDPOINTS if e.is_api and e.kind == "public"]
    failures = []
    for path, operations in paths.items():
        regex = _schema_regex(path)
        found = [e for e in api if regex.fullmatch(concrete[e.id])]
        if not found and any(regex.fullmatch(_url(e, None)) for e in public_api):
            continue  # a public API endpoint (listed in PUBLIC)
        if not found:
            failures.append(f"{path} is in the schema but not in the permission matrix")
            continue
        methods = {m for m in operations if m in ("get", *WRITE_METHODS)}
        if methods != set(found[0].methods):
            failures.append(f"{path}: schema methods {sorted(methods)} != {found[0].methods}")
    for endpoint in ENDPOINTS:
        if endpoint.problem or endpoint.kind == "public" or "format" in endpoint.kwargs:
            continue  # problems fail test_every_url_is_classified
        url = concrete.get(endpoint.id) or _url(endpoint, world)
        if url.startswith("/api/v1/") and not any(_schema_regex(p).fullmatch(url) for p in paths):
            failures.append(f"{endpoint.name} ({url}) is missing from the OpenAPI schema")
    assert not failures, "\n".join(failures)
    assert any(p.startswith("/api/v1/p/{pemda}/officials/") for p in paths)


# --- A foreign id looks exactly like a missing one -------------------------------------------


def _id_inputs() -> list[tuple[str, str, str, Any]]:
    """Every API input that takes an id: (list path, "body" | "filter", field name, model).

    Found from the router: the writable related fields of each viewset's serializer (sent in a
    POST to the list) and the related-object filters of its filter set (a GET of the list).
    """
    from django_filters import ModelChoiceFilter, ModelMultipleChoiceFilter
    from django_filters.rest_framework import DjangoFilterBackend
    from rest_framework import mixins
    from rest_framework.relations import ManyRelatedField, RelatedField

    from pakta.api_urls import tenant_router

    inputs = []
    for prefix, viewset, _basename in tenant_router.registry:
        path = f"/api/v1/p/alfa/{prefix}/"
        if issubclass(viewset, mixins.CreateModelMixin):
            for name, field in viewset.serializer_class().fields.items():
                related = field.child_relation if isinstance(field, ManyRelatedField) else field
                if isinstance(related, RelatedField) and not field.read_only:
                    inputs.append((path, "body", name, related.queryset.model))
        filterset = DjangoFilterBackend().get_filterset_class(viewset(), viewset.queryset)
        for name, item in (filterset.base_filters if filterset else {}).items():
            if isinstance(item, ModelChoiceFilter | ModelMultipleChoiceFilter):
                inputs.append((path, "filter", name, item.queryset.model))
    return sorted(set(inputs), key=lambda i: (i[0], i[1], i[2]))


ID_INPUTS = _id_inputs()


def _answer(client: Client, path: str, where: str, name: str, value: int) -> tuple[int, str]:
    if where == "filter":
        response = client.get(path, {name: value})
    else:
        response = client.post(path, {name: value}, content_type="application/json")
    return response.status_code, response.getvalue().decode().replace(str(value), "<id>")


@pytest.mark.parametrize(
    ("path", "where", "name", "model"),
    ID_INPUTS,
    ids=[f"{where}:{path.split('/alfa/')[1]}{name}" for path, where, name, _m in ID_INPUTS],
)
def test_a_foreign_id_and_a_missing_id_get_the_same_answer(
    path: str, where: str, name: str, model: Any, world: World, subjects: dict[str, Any]
) -> None:
    """Another Pemda's id and an id that exists nowhere: the same status and the same message
    (the id itself aside), for the admin of Pemda A and the superadmin alike."""
    if model not in OBJECT_FACTORIES:
        pytest.fail(f"no factory for {model.__name__}: add one in tests/<app>/matrix.py")
    foreign = world.pk(model, "b")
    missing = (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 10**6
    for subject in ("admin", "superadmin"):
        client = subjects[subject]
        assert _answer(client, path, where, name, foreign) == _answer(
            client, path, where, name, missing
        ), f"{subject}: {where} {name} of {path} tells a foreign id from a missing one"


def test_every_api_input_taking_an_id_is_compared() -> None:
    assert len(ID_INPUTS) >= 20, ID_INPUTS
