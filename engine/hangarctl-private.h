/* hangarctl-private.h: what the files of hangarctl share
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hangar-dbus.h"
#include "hangar-remote.h"

G_BEGIN_DECLS

#define EXIT_FAILED 1
#define EXIT_USAGE 2

typedef struct
{
  GDBusObjectManager  *manager;
  HangarDBusHost1     *host;
  /* With --connect: the remote host, the ssh process and the connection it carries. */
  HangarRemoteAddress *remote;
  char                *identity;
  GSubprocess         *ssh;
  GDBusConnection     *connection;
} Ctl;

typedef gboolean (*SimpleCall) (HangarDBusMachine1 *proxy,
                                GCancellable       *cancellable,
                                GError            **error);

typedef struct _Verb Verb;
struct _Verb
{
  const char *name;
  const char *args;
  const char *summary;
  int       (*run) (Ctl *ctl, const Verb *verb, int argc, char **argv);
  /* For verbs that make one call on one machine (run_simple). */
  SimpleCall  call;
  const char *done_format;  /* one %s: the machine's name */
  const char *wait_state;   /* the state --wait waits for, or NULL: no --wait */
  /* Checks the arguments before the engine is reached: 0, or EXIT_USAGE once told. */
  int       (*check) (const Verb *verb, int argc, char **argv);
};

int  hangarctl_print_error  (const GError *error);
HangarDBusMachine1 *hangarctl_find_machine (Ctl         *ctl,
                                            const char  *name_or_uuid,
                                            GError     **error);
int  hangarctl_usage_error  (const char   *verb,
                             const char   *message);

/* hangarctl-create.c */
int  hangarctl_check_create (const Verb   *verb,
                             int           argc,
                             char        **argv);
int  hangarctl_create       (Ctl          *ctl,
                             const Verb   *verb,
                             int           argc,
                             char        **argv);
int  hangarctl_check_os_list (const Verb  *verb,
                              int          argc,
                              char       **argv);
int  hangarctl_os_list      (Ctl          *ctl,
                             const Verb   *verb,
                             int           argc,
                             char        **argv);
int  hangarctl_check_identify (const Verb *verb,
                               int         argc,
                               char      **argv);
int  hangarctl_identify     (Ctl          *ctl,
                             const Verb   *verb,
                             int           argc,
                             char        **argv);

/* hangarctl-remote.c */
gboolean hangarctl_remote_connect    (Ctl           *ctl,
                                      GError       **error);
void     hangarctl_remote_disconnect (Ctl           *ctl);
GError  *hangarctl_remote_dropped    (Ctl           *ctl,
                                      const GError  *error);
int      hangarctl_check_console     (const Verb    *verb,
                                      int            argc,
                                      char         **argv);
int      hangarctl_console           (Ctl           *ctl,
                                      const Verb    *verb,
                                      int            argc,
                                      char         **argv);

/* hangarctl-edit.c */
int  hangarctl_edit         (Ctl          *ctl,
                             const Verb   *verb,
                             int           argc,
                             char        **argv);

G_END_DECLS
