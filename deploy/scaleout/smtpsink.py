"""A small SMTP server that accepts every message and records it, one JSON line per delivery.

It stands in for the city's mail relay on the "mail" host of the scale-out run: the portal's
workers deliver to it over real SMTP (`EMAIL_URL=smtp://…`), and the run counts what arrived. Only
what the run needs is spoken (HELO/EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT); every delivery is
written and flushed before the server answers 250, so a recorded line is a mail the sender was
told was accepted.

    python smtpsink.py HOST PORT OUTFILE
"""

import asyncio
import json
import re
import sys
from email import message_from_bytes
from email.policy import default as default_policy


def say(*parts, file=None, flush=True) -> None:
    """A line for the operator (the run's output is its report)."""
    stream = file or sys.stdout
    stream.write(" ".join(str(part) for part in parts) + "\n")
    if flush:
        stream.flush()


NUMBER = re.compile(r"\b(\d{4}-\d{6})\b")


class Sink:
    def __init__(self, path: str) -> None:
        self.out = open(path, "a", encoding="utf-8")  # noqa: SIM115 (open for the server's life)

    def record(self, mail_from: str, rcpt_to: list[str], data: bytes) -> None:
        message = message_from_bytes(data, policy=default_policy)
        subject = str(message.get("Subject", ""))
        match = NUMBER.search(subject)
        line = {
            "from": mail_from,
            "to": rcpt_to,
            "subject": subject,
            "ticket": match.group(1) if match else "",
            "message_id": str(message.get("Message-ID", "")),
        }
        self.out.write(json.dumps(line, ensure_ascii=False) + "\n")
        self.out.flush()

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        async def reply(text: str) -> None:
            writer.write(text.encode() + b"\r\n")
            await writer.drain()

        mail_from, rcpt_to = "", []
        await reply("220 sink ESMTP")
        try:
            while line := await reader.readline():
                command = line.decode("utf-8", "replace").strip()
                verb = command[:4].upper()
                if verb == "EHLO":
                    await reply("250-sink\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE 33554432")
                elif verb == "HELO":
                    await reply("250 sink")
                elif verb == "MAIL":
                    mail_from, rcpt_to = _address(command), []
                    await reply("250 OK")
                elif verb == "RCPT":
                    rcpt_to.append(_address(command))
                    await reply("250 OK")
                elif verb == "DATA":
                    await reply("354 End data with <CR><LF>.<CR><LF>")
                    lines = []
                    while (chunk := await reader.readline()) not in (b".\r\n", b".\n", b""):
                        lines.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                    self.record(mail_from, rcpt_to, b"".join(lines))
                    mail_from, rcpt_to = "", []
                    await reply("250 OK queued")
                elif verb == "RSET":
                    mail_from, rcpt_to = "", []
                    await reply("250 OK")
                elif verb == "NOOP":
                    await reply("250 OK")
                elif verb == "QUIT":
                    await reply("221 Bye")
                    break
                else:
                    await reply("502 Command not implemented")
        except ConnectionError:
            pass
        finally:
            writer.close()


def _address(command: str) -> str:
    match = re.search(r"<([^>]*)>", command)
    return (match.group(1) if match else command.split(":", 1)[-1]).strip().lower()


async def main(host: str, port: int, path: str) -> None:
    server = await asyncio.start_server(Sink(path).handle, host, port)
    say(f"SMTP sink listening on {host}:{port}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), sys.argv[3]))
