"""irctest controller for chatd.

chatd's own file, for running the IRC conformance suite irctest
(https://github.com/progval/irctest) against chatd: copy it to
irctest/controllers/chatd.py in a checkout of irctest and run
conformance/run-irctest.sh (see README, "Conformance").
"""

import json
import os
import shutil
import subprocess
from typing import Any, Optional, Type

from irctest.basecontrollers import (
    BaseServerController,
    DirectoryBasedController,
    NotImplementedByController,
)
from irctest.cases import BaseServerTestCase
from irctest.specifications import Capabilities, OptionalBehaviors

CHATD = os.environ.get("CHATD_BIN", "chatd")


class ChatdController(BaseServerController, DirectoryBasedController):
    software_name = "chatd"
    # chatd has PLAIN, SCRAM-SHA-256 and (over TLS) EXTERNAL; the suite
    # runs without TLS, so PLAIN and SCRAM by default.
    supported_sasl_mechanisms = set(
        os.environ.get("CHATD_SASL_MECHS", "PLAIN,SCRAM-SHA-256").split(",")
    )
    supports_sts = False
    extban_mute_char = "m"  # EXTBAN=$,am ; $m:<mask> is a mute

    # Capabilities chatd advertises (README "What the server supports");
    # used by requestCapabilities(skip_if_cap_nak=True) to decide between
    # skipping and failing when a cap is NAK'd.
    capabilities = frozenset(
        {
            Capabilities.ACCOUNT_NOTIFY,
            Capabilities.ACCOUNT_TAG,
            Capabilities.AWAY_NOTIFY,
            Capabilities.BATCH,
            Capabilities.ECHO_MESSAGE,
            Capabilities.EXTENDED_JOIN,
            Capabilities.EXTENDED_MONITOR,
            Capabilities.LABELED_RESPONSE,
            Capabilities.MESSAGE_TAGS,
            Capabilities.MULTILINE,
            Capabilities.MULTI_PREFIX,
            Capabilities.SERVER_TIME,
            Capabilities.SETNAME,
        }
        # draft/message-redaction, where this irctest names it
        | {
            getattr(Capabilities, name)
            for name in ("MESSAGE_REDACTION",)
            if hasattr(Capabilities, name)
        }
    )

    # Behaviours the README documents chatd as having.
    optional_behaviors = frozenset(
        {
            OptionalBehaviors.BAN_EXCEPTION_MODE,
            OptionalBehaviors.INVITE_EXCEPTION_MODE,
            OptionalBehaviors.INVITE_LIST,
            OptionalBehaviors.INVITE_OVERRIDES_LIMIT,
            OptionalBehaviors.MULTI_JOIN,
            OptionalBehaviors.MULTI_KICK,
            OptionalBehaviors.MULTI_PRIVMSG,
            OptionalBehaviors.ELIST_M,
            OptionalBehaviors.ELIST_N,
            OptionalBehaviors.ELIST_U,
        }
        # ELIST=C and T (ages in minutes), where this irctest names them
        | {
            getattr(OptionalBehaviors, name)
            for name in ("ELIST_C", "ELIST_T")
            if hasattr(OptionalBehaviors, name)
        }
    )

    def run(
        self,
        hostname: str,
        port: int,
        *,
        password: Optional[str],
        ssl: bool,
        run_services: bool,
        faketime: Optional[str] = None,
        **kwargs: Any,
    ) -> None:
        if ssl:
            raise NotImplementedByController("TLS")
        # IRC over WebSocket is served by the web listener, at "/" and "/irc".
        websocket_hostname = kwargs.get("websocket_hostname")
        websocket_port = kwargs.get("websocket_port")
        http_listen = (
            ["%s:%d" % (websocket_hostname or hostname, websocket_port)]
            if websocket_port
            else []
        )
        assert self.proc is None
        self.port = port
        self.hostname = hostname
        self.create_config()
        assert self.directory
        cfg = {
            "serverName": "My.Little.Server",
            "networkName": "TestNet",
            # the description the other controllers give their servers (LINKS)
            "serverInfo": "test server",
            "listen": ["%s:%d" % (hostname, port)],
            "dataDir": str(self.directory / "data"),
            "logLevel": "warning",
            "limits": {
                "floodBurst": 10000,
                "floodLinesPerSecond": 0,
                "maxConnectionsPerIP": 0,
            },
            "accounts": {
                "registrationsPerAddressPerHour": 0,
                "registrationsPerHour": 0,
                "loginMaxFailures": 0,
                "minPasswordLength": 1,
                # honour the per-test-case knobs, as the Ergo controller does
                "registerBeforeConnect": (
                    self.test_config.account_registration_before_connect
                ),
                "requireEmail": self.test_config.account_registration_requires_email,
            },
            # chatd replays the last 20 channel messages on JOIN by default;
            # irctest (like most servers) expects a plain JOIN burst.
            # CHATD_REPLAY_ON_JOIN=20 restores chatd's default.
            "history": {
                "replayOnJoin": int(os.environ.get("CHATD_REPLAY_ON_JOIN", "0"))
            },
            # same operator credentials as the other irctest controllers use
            "operators": [
                {"name": "operuser", "password": "operpassword", "hostMask": "*"}
            ],
            "scores": {"simulator": False, "udpListen": "127.0.0.1:0"},
            "http": {"listen": http_listen},
        }
        if password is not None:
            cfg["serverPassword"] = password
        with self.open_file("server.json", "w") as fd:
            json.dump(cfg, fd)
        # Tests that wait minutes (LIST C<n, T<n) run the server under
        # libfaketime (Debian's faketime) when it is installed.
        faketime_cmd = []
        if faketime and shutil.which("faketime"):
            faketime_cmd = ["faketime", "-f", faketime]
            self.faketime_enabled = True
        self.proc = self.execute(
            [*faketime_cmd, CHATD, "--config", str(self.directory / "server.json")],
            cwd=str(self.directory),
        )

    def wait_for_services(self) -> None:
        # accounts are built into chatd
        pass

    def registerUser(
        self,
        case: BaseServerTestCase,  # type: ignore
        username: str,
        password: Optional[str] = None,
    ) -> None:
        assert password
        client = case.addClient(show_io=False)
        case.sendLine(client, "CAP LS 302")
        case.sendLine(client, "NICK " + username)
        case.sendLine(client, "USER r e g :user")
        case.sendLine(client, "CAP END")
        while case.getRegistrationMessage(client).command != "001":
            pass
        case.getMessages(client)
        case.sendLine(client, f"REGISTER {username} * {password}")
        # The answer comes from a worker (hashing, then the database), but in
        # order: it is in before the PONG that getMessages waits for.
        msgs = case.getMessages(client)
        assert any(
            m.command == "REGISTER" and m.params and m.params[0] == "SUCCESS"
            for m in msgs
        ), msgs
        case.sendLine(client, "QUIT")
        case.assertDisconnected(client)


def get_irctest_controller_class() -> Type[ChatdController]:
    return ChatdController
