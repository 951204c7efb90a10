/* hangar-machine.h: one virtual machine, defined and maybe running
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hangar-capabilities.h"
#include "hangar-domain.h"
#include "hangar-qmp.h"

G_BEGIN_DECLS

typedef enum
{
  HANGAR_MACHINE_SHUT_OFF,
  HANGAR_MACHINE_STARTING,
  HANGAR_MACHINE_RUNNING,
  HANGAR_MACHINE_PAUSED,
  HANGAR_MACHINE_SHUTTING_DOWN,
  HANGAR_MACHINE_CRASHED,
} HangarMachineState;

typedef enum
{
  HANGAR_MACHINE_OP_SHUTDOWN,
  HANGAR_MACHINE_OP_REBOOT,
  HANGAR_MACHINE_OP_RESET,
  HANGAR_MACHINE_OP_PAUSE,
  HANGAR_MACHINE_OP_RESUME,
} HangarMachineOp;

#define HANGAR_TYPE_MACHINE (hangar_machine_get_type ())
G_DECLARE_FINAL_TYPE (HangarMachine, hangar_machine, HANGAR, MACHINE, GObject)

HangarMachine      *hangar_machine_new              (HangarDomain              *domain,
                                                     const HangarCapabilities  *caps);
HangarDomain       *hangar_machine_get_domain       (HangarMachine             *self);
HangarDomain       *hangar_machine_get_live_domain  (HangarMachine             *self);
HangarQmp          *hangar_machine_get_qmp          (HangarMachine             *self);
guint64             hangar_machine_get_balloon_actual (HangarMachine           *self);
void                hangar_machine_set_domain       (HangarMachine             *self,
                                                     HangarDomain              *domain);
const char         *hangar_machine_get_uuid         (HangarMachine             *self);
const char         *hangar_machine_get_name         (HangarMachine             *self);
HangarMachineState  hangar_machine_get_state        (HangarMachine             *self);
const char         *hangar_machine_get_state_reason (HangarMachine             *self);
const char         *hangar_machine_get_last_error   (HangarMachine             *self);
GPid                hangar_machine_get_pid          (HangarMachine             *self);
gboolean            hangar_machine_is_active        (HangarMachine             *self);
const char         *hangar_machine_state_to_string  (HangarMachineState         state);

void                hangar_machine_reattach         (HangarMachine             *self);
void                hangar_machine_start_async      (HangarMachine             *self,
                                                     const char                *reason,
                                                     GCancellable              *cancellable,
                                                     GAsyncReadyCallback        callback,
                                                     gpointer                   user_data);
gboolean            hangar_machine_start_finish     (HangarMachine             *self,
                                                     GAsyncResult              *result,
                                                     GError                   **error);
void                hangar_machine_op_async         (HangarMachine             *self,
                                                     HangarMachineOp            op,
                                                     GCancellable              *cancellable,
                                                     GAsyncReadyCallback        callback,
                                                     gpointer                   user_data);
gboolean            hangar_machine_op_finish        (HangarMachine             *self,
                                                     GAsyncResult              *result,
                                                     GError                   **error);
void                hangar_machine_force_off_async  (HangarMachine             *self,
                                                     GCancellable              *cancellable,
                                                     GAsyncReadyCallback        callback,
                                                     gpointer                   user_data);
gboolean            hangar_machine_force_off_finish (HangarMachine             *self,
                                                     GAsyncResult              *result,
                                                     GError                   **error);
int                 hangar_machine_open_console     (HangarMachine             *self,
                                                     const char                *kind,
                                                     GError                   **error);
char               *hangar_machine_read_log         (HangarMachine             *self,
                                                     guint                      max_lines);

void                hangar_machine_update_async     (HangarMachine             *self,
                                                     HangarDomain              *domain,
                                                     GCancellable              *cancellable,
                                                     GAsyncReadyCallback        callback,
                                                     gpointer                   user_data);
gboolean            hangar_machine_update_finish    (HangarMachine             *self,
                                                     GAsyncResult              *result,
                                                     GStrv                     *applied_live,
                                                     GStrv                     *pending,
                                                     GError                   **error);
gboolean            hangar_machine_is_updating      (HangarMachine             *self);
GStrv               hangar_machine_get_pending_changes (HangarMachine          *self);
const char         *hangar_machine_get_accelerator  (HangarMachine             *self);
void                hangar_machine_monitor_command_async  (HangarMachine       *self,
                                                           const char          *command_json,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
char               *hangar_machine_monitor_command_finish (HangarMachine       *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);

G_END_DECLS
