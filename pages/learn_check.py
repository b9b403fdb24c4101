"""Learn: Check yourself -- predict-then-reveal questions a lecturer runs in class, one per screen. Each
reveal is backed by something the app shows (a shipped run or state, a figure, a number measured live:
ui.check_evidence); students may add their answer to an anonymous class tally (ui.tally) that the
lecturer shows before revealing."""
from __future__ import annotations

import streamlit as st

from app import PAGES
from ui.check_evidence import QUESTIONS, Question
from ui.i18n import t
from ui.runs import student_id
from ui.tally import get_tally

NS = "learn_check"
Q_KEY = "check_q"  # index of the question on screen
OPTIN_KEY = "check_optin"
LETTERS = "ABCDE"
TITLES = {item.path: item.title_key for item in PAGES}


def _answer_key(qid: str) -> str:
    return f"check_{qid}"


def _shown_key(qid: str) -> str:
    return f"check_{qid}_shown"


def sync_votes() -> None:
    """Opted in: each answered question that is not revealed yet counts (a changed answer replaces the
    old one; after the reveal it stays as it was). Opted out: none of this browser's answers count."""
    tally = get_tally()
    voter = tally.voter_key(student_id())
    if not st.session_state.get(OPTIN_KEY):
        tally.withdraw(voter)
        return
    for q in QUESTIONS:
        choice = st.session_state.get(_answer_key(q.qid))
        if choice is not None and not st.session_state.get(_shown_key(q.qid)):
            tally.vote(q.qid, voter, choice, n_options=q.n_options)


def _go(index: int) -> None:
    st.session_state[Q_KEY] = index


def _reveal(qid: str) -> None:
    st.session_state[_shown_key(qid)] = True


def navigator() -> Question:
    n = len(QUESTIONS)
    if st.session_state.get(Q_KEY) not in range(n):
        st.session_state[Q_KEY] = 0
    i = st.session_state[Q_KEY]
    c1, c2, c3 = st.columns([1.4, 1.4, 5], vertical_alignment="bottom")
    c1.button(t(f"{NS}.prev"), key="check_prev", disabled=i == 0, on_click=_go, args=(i - 1,),
              icon=":material/arrow_back:", width="stretch")
    c2.button(t(f"{NS}.next"), key="check_next", disabled=i == n - 1, on_click=_go, args=(i + 1,),
              icon=":material/arrow_forward:", width="stretch")
    titles = [f"{k + 1}. {t(f'{NS}.{q.qid}_short')}" for k, q in enumerate(QUESTIONS)]  # made in the script
    c3.selectbox(t(f"{NS}.question"), list(range(n)), key=Q_KEY, format_func=titles.__getitem__)
    return QUESTIONS[i]


@st.fragment(run_every=3)
def class_answers(q: Question) -> None:
    """The class's answers so far (refreshed every few seconds while shown): no right answer marked."""
    counts = get_tally().counts(q.qid, q.n_options)
    total = sum(counts)
    st.caption(t(f"{NS}.tally_total", n=total))
    for k, c in enumerate(counts):
        share = c / total if total else 0.0
        st.progress(share, text=t(f"{NS}.tally_row", letter=LETTERS[k], n=c, share=share))


def question(q: Question) -> None:
    number = st.session_state[Q_KEY] + 1
    st.subheader(f"{number}. {t(f'{NS}.{q.qid}')}")
    options = [f"{LETTERS[k]}. {t(f'{NS}.{q.qid}_a{k}')}" for k in range(q.n_options)]
    choice = st.radio(t(f"{NS}.your_prediction"), list(range(q.n_options)), key=_answer_key(q.qid), index=None,
                      format_func=options.__getitem__)
    revealed = bool(st.session_state.get(_shown_key(q.qid)))
    bar = st.container(horizontal=True, vertical_alignment="center")
    show_tally = bar.toggle(t(f"{NS}.show_tally"), key=f"check_tally_{q.qid}")
    bar.button(t(f"{NS}.reveal"), key=f"check_reveal_{q.qid}", type="primary", on_click=_reveal, args=(q.qid,),
               disabled=choice is None and not revealed, icon=":material/visibility:")
    if show_tally:
        class_answers(q)
    if not revealed:
        if choice is None:
            st.caption(t(f"{NS}.answer_first"))
        return
    if choice is not None:
        good = choice == q.right
        (st.success if good else st.warning)(t(f"{NS}.right" if good else f"{NS}.not_quite"))
    st.markdown(t(f"{NS}.answer", letter=LETTERS[q.right], text=t(f"{NS}.{q.qid}_a{q.right}")))
    with st.spinner(t(f"{NS}.measuring")):
        q.reveal()
    st.markdown(t(f"{NS}.{q.qid}_explain"))
    if q.link in TITLES:
        st.page_link(q.link, label=t(f"{NS}.see_in_app", page=t(TITLES[q.link])), icon=":material/open_in_new:")


def lecturer_tools(q: Question) -> None:
    with st.expander(t(f"{NS}.lecturer")):
        st.markdown(t(f"{NS}.lecturer_body"))
        tally = get_tally()
        st.button(t(f"{NS}.clear_question"), key=f"check_clear_{q.qid}", on_click=tally.clear, args=(q.qid,),
                  icon=":material/restart_alt:")


def main() -> None:
    st.title(t(f"{NS}.title"))
    st.markdown(t(f"{NS}.intro"))
    st.toggle(t(f"{NS}.optin"), key=OPTIN_KEY, help=t(f"{NS}.optin_help"))
    sync_votes()
    q = navigator()
    question(q)
    lecturer_tools(q)


main()
