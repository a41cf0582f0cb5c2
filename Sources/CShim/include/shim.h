#ifndef SHOPDECK_SHIM_H
#define SHOPDECK_SHIM_H
/* The ncurses calls shopdeck needs, behind plain functions: ncurses' macros, globals and
   attribute constants do not import into Swift (see swift-ncurses-probe.md). */
#include <stddef.h>

/* Starts curses on the terminal (newterm on fd 1/0, never initscr, which exits on
   failure). Returns 0 on success, -1 when the terminal cannot be used. */
int shim_start(int want_color);
void shim_stop(void);
int shim_active(void);
int shim_rows(void);
int shim_cols(void);
/* Number of colours usable (0 when none or colour disabled). */
int shim_colors(void);
/* 1 when the locale's codeset is UTF-8. */
int shim_locale_utf8(void);
/* 1 when the terminal can address the cursor (not "dumb"). */
int shim_has_cursor_addressing(void);

/* Reads one key, waiting at most timeout_ms (-1: forever). Returns 1 with a character in
   *ch (is_key = 0) or a KEY_ code (is_key = 1), 0 on timeout, -1 on error. */
int shim_read_key(int timeout_ms, unsigned int *ch, int *is_key);

enum { SHIM_BOLD = 1, SHIM_REVERSE = 2, SHIM_DIM = 4, SHIM_UNDERLINE = 8 };
/* Colour pair for fg/bg colour numbers (-1 = terminal default); allocated on first use. */
int shim_pair(int fg, int bg);
void shim_begin_frame(void);
/* Puts one cell: up to 4 code points (a base and combining marks). */
void shim_put(int y, int x, const unsigned int *codepoints, int n, int attrs, int pair);
void shim_end_frame(int cursor_y, int cursor_x, int show_cursor);
void shim_full_redraw(void);
/* Rings the terminal bell (or flashes), and sends an OSC 9 notification with `text`
   (terminals that do not know OSC 9 ignore it). */
void shim_bell(const char *text);

/* Restores the terminal on SIGINT/SIGTERM/SIGHUP and on crash signals, then lets the
   signal take its course. */
void shim_install_signal_handlers(void);

/* Key codes the Swift side maps (KEY_* values). */
int shim_key_code(const char *name);

/* Opens a pseudo-terminal pair: returns the master fd and writes the slave's path
   (the benchmark measures the bytes the dashboard sends). -1 on failure. */
int shim_openpty(char *slave_name, int len);
/* `shopdeck serve`: a program on a new pseudo-terminal (its controlling terminal, in a new
   session); returns its pid and the master fd in *master_out, -1 on failure. */
#include <sys/types.h>
pid_t shim_spawn_on_pty(const char *path, char *const argv[], char *const envp[], int rows, int cols, int *master_out);
/* Tells the terminal on `fd` (a pty master) its new size: the child gets SIGWINCH. */
int shim_set_winsize(int fd, int rows, int cols);
/* pipe2(O_CLOEXEC) and POSIX_SPAWN_SETSID, which need _GNU_SOURCE and do not import. */
int shim_pipe_cloexec(int fds[2]);
short shim_posix_spawn_setsid(void);
#endif
