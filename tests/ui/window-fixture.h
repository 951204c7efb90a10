/* window-fixture.h: the real window against a real engine, for the ui tests
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Each test starts an engine of its own (tests/hangar-test-engine.h) on the test's
 * private bus, where nothing else can be activated (session.conf), opens the
 * template-built HangarWindow in this process as the application's activate does,
 * and checks what a person would see: the visible page and the texts of the
 * mapped labels, rows in screen order. It waits for events with a deadline, never
 * for a fixed time. After the window has settled it saves a PNG of it into
 * $HANGAR_SCREENSHOT_DIR.
 */
#pragma once

#include <signal.h>

#include <adwaita.h>

#include "hangar-application.h"
#include "hangar-connection.h"
#include "hangar-test-engine.h"
#include "hangar-window.h"

G_BEGIN_DECLS

/* How long the UI may take to show what the engine did. */
#define WAIT_TIMEOUT_S 30

#define DOT "\xc2\xb7"

/* What the error page says when the engine went away, and when none can be started. */
#define ENGINE_STOPPED "The engine has stopped. Machines that were running go on running."
#define ENGINE_NOT_INSTALLED \
  "The engine is not running, and it cannot be started because its D-Bus service is not " \
  "installed."

typedef struct
{
  HangarTestEngine  engine;
  HangarConnection *connection;
  HangarWindow     *window;  /* owned by GTK's list of toplevels */
  guint             frames;  /* frames painted, counted for settle () */
} Fixture;

/* One application for the process, registered so that its windows may be added. */
extern HangarApplication *application;
/* The QEMU a test started, killed if the test aborts before its tear-down. */
extern volatile sig_atomic_t started_qemu_pid;

#define WAIT_UNTIL(fixture, condition, expected) \
  WAIT_UNTIL_S (fixture, WAIT_TIMEOUT_S, condition, expected)

/* For work whose time grows with the machine's load (1,000 definitions under ASan while
 * other tests run): a bound against hanging, not a measure. */
#define WAIT_UNTIL_S(fixture, seconds, condition, expected) \
  G_STMT_START { \
    gboolean timed_out_ = FALSE; \
    guint deadline_ = g_timeout_add_seconds ((seconds), on_deadline, &timed_out_); \
    while (!(condition) && !timed_out_) \
      g_main_context_iteration (NULL, TRUE); \
    if (!timed_out_) \
      g_source_remove (deadline_); \
    if (!(condition)) \
      fail_waiting ((fixture), (seconds), #condition, (expected)); \
  } G_STMT_END

#define ROW_ARCHIVE "archive | Shut Off | 2 CPUs " DOT " 1.5 GiB"
#define ROW_BUILD_BOX "Build & Test | build-box | Shut Off | 4 CPUs " DOT " 8 GiB"
#define ROW_WEB(state) "web-01 | " state " | 1 CPU " DOT " 128 MiB"

void                 kill_qemu_on_abort     (void);
GtkStack             *window_stack          (Fixture *fixture);
GtkStack             *main_stack            (Fixture *fixture);
const char           *shown_page            (Fixture *fixture);
char                 *shown_texts           (GtkWidget *widget);
GPtrArray            *shown_rows            (Fixture *fixture);
char                 *shown_rows_text       (Fixture *fixture);
GtkWidget            *find_row              (Fixture    *fixture,
                                             const char *title);
GtkWidget            *find_label_with_class (GtkWidget  *widget,
                                             const char *css_class);
GtkWidget            *find_button           (GtkWidget  *widget,
                                             const char *label);
G_GNUC_NORETURN void fail_waiting           (Fixture    *fixture,
                                             guint       seconds,
                                             const char *condition,
                                             const char *expected);
gboolean             page_is                (Fixture    *fixture,
                                             const char *name);
gboolean             rows_are               (Fixture    *fixture,
                                             const char *expected);
void                 wait_for_rows          (Fixture    *fixture,
                                             const char *expected);
void                 settle_widget          (Fixture   *fixture,
                                             GtkWidget *widget);
void                 take_widget_screenshot (Fixture    *fixture,
                                             GtkWidget  *widget,
                                             const char *name);
void                 take_screenshot        (Fixture    *fixture,
                                             const char *name);
void                 setup                  (Fixture       *fixture,
                                             gconstpointer  data);
void                 open_window_full       (Fixture *fixture,
                                             guint    reconnect_delay);
void                 open_window            (Fixture *fixture);
void                 close_window           (Fixture *fixture);
void                 teardown               (Fixture       *fixture,
                                             gconstpointer  data);
char                 *idle_machine_xml      (const char *name,
                                             const char *title,
                                             guint       vcpus,
                                             guint       memory_mib);
void                 define_idle_machines   (Fixture *fixture);
void                 select_machine         (Fixture    *fixture,
                                             const char *name);
GtkWidget            *find_action_button    (GtkWidget  *widget,
                                             const char *action_name);
gboolean             header_action_enabled  (Fixture    *fixture,
                                             const char *action_name);
gboolean             row_state_is           (Fixture    *fixture,
                                             const char *title,
                                             const char *words);
AdwMessageDialog     *shown_dialog          (void);
GtkWidget            *find_widget_of_type   (GtkWidget *widget,
                                             GType      type);
gboolean             toast_shows            (Fixture    *fixture,
                                             const char *text,
                                             gboolean    prefix);
void                 activate               (Fixture    *fixture,
                                             const char *action_name);
gboolean             on_deadline            (gpointer user_data);
void                 window_fixture_init    (int    *argc,
                                             char ***argv);
void                 window_fixture_finish  (void);

G_END_DECLS
