/* hangar-test-engine.h: a real hangar-engine for a test, on the test's private bus
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The test binary runs under dbus-run-session. Each fixture has its own XDG folders
 * in a temporary directory and starts the engine built in this tree with
 * HANGAR_ACCEL=tcg; tear-down stops it and kills any QEMU it left running.
 */
#pragma once

#include <gio/gio.h>

#include "hangar-dbus.h"

G_BEGIN_DECLS

/* The tiny guest's init prints this on its serial port once userspace runs. */
#define HANGAR_TEST_READY "HANGAR-GUEST-READY"
#define HANGAR_TEST_BOOT_TIMEOUT 60

typedef struct
{
  char               *root;        /* temporary folder holding the XDG folders */
  char               *config_dir;
  char               *runtime_root; /* short, under /tmp: socket paths have 107 bytes */
  char               *runtime_dir;
  char               *data_dir;
  GSubprocess        *engine;
  GDBusObjectManager *manager;
  HangarDBusHost1    *host;
} HangarTestEngine;

void                hangar_test_engine_setup       (HangarTestEngine *fixture);
void                hangar_test_engine_start       (HangarTestEngine *fixture);
void                hangar_test_engine_stop        (HangarTestEngine *fixture,
                                                    int               signal_number);
void                hangar_test_engine_teardown    (HangarTestEngine *fixture);
char              **hangar_test_engine_environ     (HangarTestEngine *fixture);

char               *hangar_test_guest_xml          (const char       *name,
                                                    const char       *extra_devices);
HangarDBusMachine1 *hangar_test_define             (HangarTestEngine *fixture,
                                                    const char       *xml);
HangarDBusMachine1 *hangar_test_lookup             (HangarTestEngine *fixture,
                                                    const char       *name);
void                hangar_test_wait_state         (HangarDBusMachine1 *machine,
                                                    const char       *state,
                                                    guint             timeout_s);
void                hangar_test_wait_state_reason  (HangarDBusMachine1 *machine,
                                                    const char       *state,
                                                    const char       *reason,
                                                    guint             timeout_s);
char               *hangar_test_serial_log_path    (HangarTestEngine *fixture,
                                                    HangarDBusMachine1 *machine);
void                hangar_test_wait_serial        (HangarTestEngine *fixture,
                                                    HangarDBusMachine1 *machine,
                                                    const char       *text,
                                                    guint             count,
                                                    guint             timeout_s);
void                hangar_test_start_and_wait_ready (HangarTestEngine   *fixture,
                                                      HangarDBusMachine1 *machine);
gboolean            hangar_test_pid_alive          (GPid              pid);
int                 hangar_test_open_console       (HangarDBusMachine1 *machine,
                                                    const char       *kind);
guint               hangar_test_count_files        (const char       *dir);
char               *hangar_test_guest_file         (const char       *name);
void                hangar_test_copy_file          (const char       *from,
                                                    const char       *to);
HangarDBusJob1     *hangar_test_job_at             (HangarTestEngine *fixture,
                                                    const char       *path);
guint               hangar_test_wait_job           (HangarDBusJob1   *job,
                                                    guint             timeout_s);
HangarDBusMachine1 *hangar_test_create_machine     (HangarTestEngine *fixture,
                                                    GVariant         *options,
                                                    GError          **error);
void                hangar_test_make_volume        (HangarTestEngine *fixture,
                                                    const char       *path,
                                                    guint64           size);
guint               hangar_test_free_port          (void);
GSubprocess        *hangar_test_http_server        (const char       *folder,
                                                    guint             port);
int                 hangar_test_run_ctlv           (HangarTestEngine *fixture,
                                                    char            **out,
                                                    char            **err,
                                                    const char * const *args);
int                 hangar_test_run_ctl            (HangarTestEngine *fixture,
                                                    char            **out,
                                                    char            **err,
                                                    const char       *first_arg,
                                                    ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
