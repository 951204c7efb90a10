/* guest-console.h: what the console tests on the tiny guest share
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <signal.h>

#include <gtk/gtk.h>

#include "hangar-display.h"
#include "hangar-test-engine.h"

G_BEGIN_DECLS

/* The QEMU a test started, killed (with its session) if the test is aborted. */
extern volatile sig_atomic_t guest_qemu_pid;

gboolean guest_on_timeout          (gpointer            user_data);

#define WAIT_UNTIL(condition, seconds)                                                \
  G_STMT_START {                                                                      \
    guint timeout_ = g_timeout_add_seconds ((seconds), guest_on_timeout,              \
                                            (gpointer) #condition);                   \
    while (!(condition))                                                              \
      g_main_context_iteration (NULL, TRUE);                                          \
    g_source_remove (timeout_);                                                       \
  } G_STMT_END

void     guest_console_init        (int                *argc,
                                    char             ***argv);
void     guest_remember_qemu       (HangarTestEngine   *engine,
                                    HangarDBusMachine1 *machine);
void     guest_run                 (const char         *first_arg,
                                    ...) G_GNUC_NULL_TERMINATED;
int      guest_open_console        (HangarDBusMachine1 *machine,
                                    const char         *kind);
gboolean guest_wait_serial         (HangarTestEngine   *engine,
                                    HangarDBusMachine1 *machine,
                                    const char         *text,
                                    guint               count,
                                    guint               timeout_s);
char    *guest_artifact_path       (const char         *name);
void     guest_save_screenshot     (HangarDisplay      *display,
                                    const char         *path);
void     guest_settle              (void);
void     guest_drive_display       (HangarTestEngine   *engine,
                                    HangarDBusMachine1 *machine,
                                    HangarDisplay      *display,
                                    const char         *window_png,
                                    const char         *guest_png);

G_END_DECLS
