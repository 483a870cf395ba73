#!/usr/bin/env bash
# The idle trigger in real terminals: `fun saver install ENV --apply` writes the snippet into a
# private rc file, and the environment starts the saver by itself after a while without a key.
# Every tmux server here is a private one (`tmux -L`), so nobody else's sessions are touched.
#
# tmux (the issue's test): a tmux with `lock-after-time 1` and the lock-command that
#   `fun saver install tmux` printed, attached from a second (outer) tmux that plays the
#   user's terminal. After 2 s without a key the outer pane shows the saver; an arrow key
#   (three bytes) returns to the shell with its prompt and scrollback intact and nothing typed
#   on its command line.
# zsh (TMOUT + TRAPALRM), fish (a timer and a signal handler) and GNU screen (idle +
#   blankerprg): the same, in a pane of their own, when the program is installed.
#
#   .ci/checks/idle.sh                  builds and runs all
#   FUN=path ONLY='tmux zsh' .ci/checks/idle.sh
# Needs tmux; zsh, fish and screen are installed by .ci/run (a missing one is skipped here).
set -euo pipefail
cd "$(dirname "$0")/../.."

command -v tmux >/dev/null || { echo "idle.sh: needs tmux" >&2; exit 1; }
ONLY=${ONLY:-tmux zsh fish screen}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/fun-idle-check.XXXXXX")
SOCK=fun-idle-check-$$
cleanup() {
  for s in out in zsh fish screen; do tmux -L "$SOCK-$s" kill-server 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
if [ -z "${FUN:-}" ]; then
  cargo build --quiet
  FUN=$PWD/target/debug/fun
fi
export XDG_CONFIG_HOME=$WORK/config
mkdir -p "$XDG_CONFIG_HOME"
# The saver shows this text (its date line), so the pane tells when it is up.
MARK=idle-check
SAVER=(clock --format "$MARK %Y")

part() { case " $ONLY " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
fail() {
  echo "idle.sh: FAIL: $*" >&2
  [ -n "${SHOW:-}" ] && tmux -L "$SOCK-$SHOW" capture-pane -p -t "$SHOW" >&2 2>/dev/null
  exit 1
}
# shows SERVER TEXT: whether the first pane of that server shows TEXT.
shows() { tmux -L "$SOCK-$1" capture-pane -p -t "$1" 2>/dev/null | grep -qF -- "$2"; }
# wait_for SERVER TEXT [SECONDS]: until the pane shows TEXT (a hang detector, not a timer).
wait_for() {
  local i
  for i in $(seq $((${3:-10} * 20))); do shows "$1" "$2" && return 0; sleep 0.05; done
  fail "$1: the pane never showed '$2'"
}
wait_gone() {
  local i
  for i in $(seq 200); do shows "$1" "$2" || return 0; sleep 0.05; done
  fail "$1: '$2' is still on the pane"
}
# last_line SERVER: the last non-empty line of the pane.
last_line() { tmux -L "$SOCK-$1" capture-pane -p -t "$1" | grep -v '^\s*$' | tail -n 1; }
saver_running() { pgrep -f -- "$MARK %Y" >/dev/null; }

# check_dismissal SERVER PROMPT: the saver is up; an arrow key ends it; the shell is back with
# its earlier output, a bare prompt, and no saver process left.
check_dismissal() {
  local server=$1 prompt=$2 screen_server=${3:-$1}
  wait_for "$screen_server" "$MARK 20" 10
  tmux -L "$SOCK-$screen_server" send-keys -t "$screen_server" Up
  wait_gone "$screen_server" "$MARK 20"
  wait_for "$screen_server" "before-idle"
  sleep 0.3
  [ "$(last_line "$server")" = "$prompt" ] \
    || fail "$server: the command line is '$(last_line "$server")', expected the bare prompt '$prompt'"
  for _ in $(seq 40); do saver_running || break; sleep 0.05; done
  ! saver_running || fail "$server: the saver is still running"
}

if part tmux; then
  SHOW=out
  "$FUN" saver install tmux --after 1s --apply --rc "$WORK/tmux.conf" "${SAVER[@]}" >/dev/null
  grep -q 'set -g lock-after-time 1' "$WORK/tmux.conf" || fail "tmux: no lock-after-time"
  tmux -L "$SOCK-in" -f "$WORK/tmux.conf" new-session -d -s in -x 80 -y 24 \
    "env PS1='$ ' bash --norc --noprofile"
  tmux -L "$SOCK-out" -f /dev/null new-session -d -s out -x 80 -y 24 \
    "env TERM=xterm-256color tmux -L $SOCK-in attach -t in"
  wait_for out '$'
  # Keys through the outer pane reach the inner client: they count as activity.
  tmux -L "$SOCK-out" send-keys -t out "seq 1 60; echo before-idle" Enter
  wait_for out "before-idle"
  check_dismissal in '$' out
  history=$(tmux -L "$SOCK-in" capture-pane -p -S - -t in)
  for line in 1 30 60 before-idle; do
    grep -qx -- "$line" <<<"$history" || fail "tmux: the scrollback lost '$line'"
  done
  echo "idle.sh: ok: tmux (lock-after-time 1: the saver came, an arrow key left nothing behind)"
  tmux -L "$SOCK-out" kill-server; tmux -L "$SOCK-in" kill-server
fi

# shell_case NAME PROMPT COMMAND: a shell with the snippet; type, wait, dismiss.
shell_case() {
  local name=$1 prompt=$2 command=$3
  SHOW=$name
  tmux -L "$SOCK-$name" -f /dev/null new-session -d -s "$name" -x 80 -y 24 "$command"
  wait_for "$name" "$prompt"
  tmux -L "$SOCK-$name" send-keys -t "$name" "echo before-idle" Enter
  wait_for "$name" "before-idle"
  check_dismissal "$name" "$prompt"
  echo "idle.sh: ok: $name (the saver came after 2 s, an arrow key left nothing behind)"
  tmux -L "$SOCK-$name" kill-server
}

if part zsh && command -v zsh >/dev/null; then
  mkdir -p "$WORK/zdot"
  "$FUN" saver install zsh --after 2s --apply --rc "$WORK/zdot/.zshrc" "${SAVER[@]}" >/dev/null
  shell_case zsh '%' "env ZDOTDIR=$WORK/zdot PS1='%% ' zsh"
fi

if part fish && command -v fish >/dev/null; then
  rc=$XDG_CONFIG_HOME/fish/config.fish
  "$FUN" saver install fish --after 2s --apply --rc "$rc" "${SAVER[@]}" >/dev/null
  shell_case fish '>' "fish -C 'function fish_greeting; end; function fish_prompt; echo \"> \"; end'"
fi

if part screen && command -v screen >/dev/null; then
  "$FUN" saver install screen --after 2s --apply --rc "$WORK/screenrc" "${SAVER[@]}" >/dev/null
  shell_case screen '$' "env PS1='$ ' screen -c $WORK/screenrc bash --norc --noprofile"
fi

# The blocks come out again and leave the files as they were before.
for rc in "$WORK/tmux.conf" "$WORK/zdot/.zshrc" "$XDG_CONFIG_HOME/fish/config.fish" "$WORK/screenrc"; do
  [ -e "$rc" ] || continue
  env=tmux
  case $rc in *zshrc) env=zsh ;; *fish) env=fish ;; *screenrc) env=screen ;; esac
  "$FUN" saver uninstall "$env" --rc "$rc" >/dev/null
  ! grep -q 'fun saver' "$rc" || fail "uninstall $env left its block in $rc"
done
echo "idle.sh: ok: all"
