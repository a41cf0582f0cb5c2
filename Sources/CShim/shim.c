#define _XOPEN_SOURCE 700
#define _GNU_SOURCE 1
#define NCURSES_WIDECHAR 1
#include <termios.h>
#include <unistd.h>
#include "shim.h"
#include <locale.h>
#include <langinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>
#include <fcntl.h>
#include <errno.h>
#include <spawn.h>
#include <sys/ioctl.h>

static SCREEN *screen_ = NULL;
static WINDOW *win_ = NULL;
static FILE *out_ = NULL, *in_ = NULL;
static int colors_ = 0;
static int npairs_ = 1;
static short pair_fg_[1024], pair_bg_[1024];

int shim_start(int want_color) {
    setlocale(LC_ALL, "");
    /* A parent may have blocked the signals curses relies on (resize, Ctrl-C). */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGWINCH); sigaddset(&set, SIGINT); sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP); sigaddset(&set, SIGTSTP); sigaddset(&set, SIGCONT);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    signal(SIGWINCH, SIG_DFL);
    if (!isatty(0) || !isatty(1)) return -1;
    out_ = fdopen(dup(1), "w");
    in_ = fdopen(dup(0), "r");
    if (!out_ || !in_) return -1;
    screen_ = newterm(NULL, out_, in_);
    if (screen_) {
        /* A terminal description without cursor addressing (TERM=dumb, an editor's shell):
           run as a plain vt100, without colour, rather than refuse to start. */
        set_term(screen_);
        char *cup = tigetstr("cup");
        if (cup == NULL || cup == (char *)-1) {
            endwin();
            delscreen(screen_);
            screen_ = newterm("vt100", out_, in_);
            want_color = 0;
            if (!screen_) return -1;
        }
    }
    if (!screen_) {
        /* Unknown TERM: fall back to xterm-256color, then xterm. */
        screen_ = newterm("xterm-256color", out_, in_);
        if (!screen_) screen_ = newterm("xterm", out_, in_);
        if (!screen_) return -1;
    }
    set_term(screen_);
    win_ = stdscr;
    cbreak();
    /* Ctrl-C arrives as a key (byte 3), not as SIGINT: the app decides (a form holding typed
       text asks first). Ctrl-Z and Ctrl-\ keep their signals. ncurses restores the shell's
       settings on endwin. */
    {
        struct termios t;
        if (tcgetattr(fileno(in_), &t) == 0) {
            t.c_cc[VINTR] = _POSIX_VDISABLE;
            tcsetattr(fileno(in_), TCSANOW, &t);
            def_prog_mode();
        }
    }
    noecho();
    nonl();
    keypad(win_, TRUE);
    set_escdelay(25);
    curs_set(0);
    colors_ = 0;
    if (want_color && has_colors()) {
        start_color();
        use_default_colors();
        colors_ = COLORS;
        if (colors_ > 256) colors_ = 256;
    }
    npairs_ = 1;
    return 0;
}

int shim_active(void) { return screen_ != NULL; }

void shim_stop(void) {
    if (!screen_) return;
    curs_set(1);
    endwin();
    delscreen(screen_);
    screen_ = NULL;
    win_ = NULL;
    if (out_) { fclose(out_); out_ = NULL; }
    if (in_) { fclose(in_); in_ = NULL; }
}

int shim_rows(void) { return win_ ? getmaxy(win_) : 0; }
int shim_cols(void) { return win_ ? getmaxx(win_) : 0; }
int shim_colors(void) { return colors_; }

int shim_locale_utf8(void) {
    const char *cs = nl_langinfo(CODESET);
    return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

int shim_has_cursor_addressing(void) {
    char *cup = tigetstr("cup");
    return cup != NULL && cup != (char *)-1;
}

int shim_read_key(int timeout_ms, unsigned int *ch, int *is_key) {
    if (!win_) return -1;
    wtimeout(win_, timeout_ms);
    wint_t w = 0;
    int r = wget_wch(win_, &w);
    if (r == ERR) return 0;
    *ch = (unsigned int)w;
    *is_key = (r == KEY_CODE_YES);
    return 1;
}

int shim_pair(int fg, int bg) {
    if (colors_ == 0) return 0;
    if (fg == -1 && bg == -1) return 0;
    for (int i = 1; i < npairs_; i++) if (pair_fg_[i] == fg && pair_bg_[i] == bg) return i;
    if (npairs_ >= COLOR_PAIRS || npairs_ >= 1024) return 0;
    init_pair((short)npairs_, (short)fg, (short)bg);
    pair_fg_[npairs_] = (short)fg; pair_bg_[npairs_] = (short)bg;
    return npairs_++;
}

void shim_begin_frame(void) { if (win_) werase(win_); }

void shim_put(int y, int x, const unsigned int *cps, int n, int attrs, int pair) {
    if (!win_) return;
    wchar_t wch[6];
    int k = 0;
    for (int i = 0; i < n && i < 5; i++) wch[k++] = (wchar_t)cps[i];
    wch[k] = 0;
    attr_t a = A_NORMAL;
    if (attrs & SHIM_BOLD) a |= A_BOLD;
    if (attrs & SHIM_REVERSE) a |= A_REVERSE;
    if (attrs & SHIM_DIM) a |= A_DIM;
    if (attrs & SHIM_UNDERLINE) a |= A_UNDERLINE;
    cchar_t cc;
    setcchar(&cc, wch, a, (short)pair, NULL);
    mvwadd_wch(win_, y, x, &cc); /* ERR at the bottom-right cell is expected */
}

void shim_end_frame(int cy, int cx, int show) {
    if (!win_) return;
    if (show) { curs_set(1); wmove(win_, cy, cx); } else { curs_set(0); }
    wnoutrefresh(win_);
    doupdate();
    if (out_) fflush(out_);
}

void shim_full_redraw(void) { if (win_) { clearok(win_, TRUE); } }

void shim_bell(const char *text) {
    if (!screen_) return;
    beep();
    if (out_ && text) {
        fputs("\033]9;", out_);
        for (const char *p = text; *p; p++) if ((unsigned char)*p >= 0x20 && *p != 0x7f) fputc(*p, out_);
        fputs("\007", out_);
        fflush(out_);
    }
}

static void restore_and_reraise(int sig) {
    if (screen_) { endwin(); }
    signal(sig, SIG_DFL);
    raise(sig);
}

void shim_install_signal_handlers(void) {
    int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL, SIGTRAP };
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = restore_and_reraise;
        sigemptyset(&sa.sa_mask);
        sigaction(sigs[i], &sa, NULL);
    }
}

int shim_key_code(const char *name) {
    if (!strcmp(name, "up")) return KEY_UP;
    if (!strcmp(name, "down")) return KEY_DOWN;
    if (!strcmp(name, "left")) return KEY_LEFT;
    if (!strcmp(name, "right")) return KEY_RIGHT;
    if (!strcmp(name, "home")) return KEY_HOME;
    if (!strcmp(name, "end")) return KEY_END;
    if (!strcmp(name, "ppage")) return KEY_PPAGE;
    if (!strcmp(name, "npage")) return KEY_NPAGE;
    if (!strcmp(name, "backspace")) return KEY_BACKSPACE;
    if (!strcmp(name, "dc")) return KEY_DC;
    if (!strcmp(name, "enter")) return KEY_ENTER;
    if (!strcmp(name, "btab")) return KEY_BTAB;
    if (!strcmp(name, "resize")) return KEY_RESIZE;
    if (!strcmp(name, "f0")) return KEY_F0;
    return -1;
}


int shim_openpty(char *slave_name, int len) {
    int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (m < 0) return -1;
    if (grantpt(m) != 0 || unlockpt(m) != 0 || len < 2 || ptsname_r(m, slave_name, (size_t)len) != 0) {
        int e = errno; close(m); errno = e; return -1;
    }
    return m;
}

/* Starts `path` with `argv` and `envp` in a new session whose controlling terminal is a new
   pseudo-terminal of `rows` x `cols`; the master side is written to *master_out. Between fork
   and exec the child calls only async-signal-safe functions (setsid, ioctl, dup2, close,
   execve, _exit), so this is safe from a multi-threaded process. Returns the child's pid, or
   -1 with errno set. */
pid_t shim_spawn_on_pty(const char *path, char *const argv[], char *const envp[], int rows, int cols, int *master_out) {
    char name[128];
    int m = shim_openpty(name, sizeof name);
    if (m < 0) return -1;
    struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
    ioctl(m, TIOCSWINSZ, &ws);
    pid_t pid = fork();
    if (pid < 0) { int e = errno; close(m); errno = e; return -1; }
    if (pid == 0) {
        setsid();
        int s = open(name, O_RDWR);            /* the session leader's first tty: its terminal */
        if (s < 0) _exit(127);
        ioctl(s, TIOCSCTTY, 0);
        dup2(s, 0); dup2(s, 1); dup2(s, 2);
        if (s > 2) close(s);
        /* Signals back to their defaults for the child (the server may ignore SIGPIPE). */
        struct sigaction sa; memset(&sa, 0, sizeof sa); sa.sa_handler = SIG_DFL;
        sigaction(SIGPIPE, &sa, NULL); sigaction(SIGINT, &sa, NULL); sigaction(SIGTERM, &sa, NULL); sigaction(SIGHUP, &sa, NULL);
        sigset_t none; sigemptyset(&none); sigprocmask(SIG_SETMASK, &none, NULL);
        execve(path, argv, envp);
        _exit(127);
    }
    *master_out = m;
    return pid;
}

int shim_set_winsize(int fd, int rows, int cols) {
    struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
    return ioctl(fd, TIOCSWINSZ, &ws);
}

int shim_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }
short shim_posix_spawn_setsid(void) { return POSIX_SPAWN_SETSID; }
