"""The class's answers to the Check-yourself questions: opt-in, anonymous, shared by every session.

Why in memory (``st.cache_resource``) and not a file under runs/: a tally belongs to one lesson on one
server. Kept in the server process it needs no disk, leaves nothing behind (nothing about a student is
ever written anywhere) and cannot be read back after the server stops; one lock makes it safe for the
many sessions that vote at once. A restart starts a fresh tally, which is what a new class wants.

What is stored per question: {voter: option}, where voter is a salted hash of the browser's id (the
salt is random per server process, so the key says nothing outside it). Keeping one answer per voter
lets a student change their mind before the reveal, or withdraw by opting out, without counting twice.
"""
from __future__ import annotations

import hashlib
import secrets
import threading

import streamlit as st

MAX_VOTERS = 2_000  # per question: a lecture hall, not a poll of the internet


class Tally:
    """Thread-safe answer counts per question."""

    def __init__(self, *, max_voters: int = MAX_VOTERS) -> None:
        self._lock = threading.Lock()
        self._votes: dict[str, dict[str, int]] = {}
        self._max = max_voters
        self._salt = secrets.token_bytes(16)

    def voter_key(self, browser_id: str) -> str:
        """An anonymous key for one browser, stable within this server process only."""
        return hashlib.blake2b(browser_id.encode(), key=self._salt, digest_size=12).hexdigest()

    def vote(self, question: str, voter: str, option: int, *, n_options: int) -> bool:
        """Record (or change) this voter's answer; False when the option is invalid or the question is
        full (a new voter beyond ``max_voters``)."""
        if isinstance(option, bool) or not isinstance(option, int) or not 0 <= option < n_options:
            return False
        with self._lock:
            votes = self._votes.setdefault(question, {})
            if voter not in votes and len(votes) >= self._max:
                return False
            votes[voter] = option
            return True

    def withdraw(self, voter: str, question: str | None = None) -> None:
        """Remove this voter's answer to one question, or to every question."""
        with self._lock:
            for q, votes in self._votes.items():
                if question is None or q == question:
                    votes.pop(voter, None)

    def counts(self, question: str, n_options: int) -> list[int]:
        """How many voters chose each option (a copy: safe to read while others vote)."""
        with self._lock:
            chosen = list(self._votes.get(question, {}).values())
        return [chosen.count(k) for k in range(n_options)]

    def answer_of(self, question: str, voter: str) -> int | None:
        with self._lock:
            return self._votes.get(question, {}).get(voter)

    def clear(self, question: str | None = None) -> None:
        """Start again: one question's answers, or all of them."""
        with self._lock:
            if question is None:
                self._votes.clear()
            else:
                self._votes.pop(question, None)


@st.cache_resource(show_spinner=False)
def get_tally() -> Tally:
    """The server's one tally (shared by every session and thread of this process)."""
    return Tally()
