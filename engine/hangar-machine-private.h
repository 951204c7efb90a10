/* hangar-machine-private.h: shared by hangar-machine.c and hangar-machine-process.c
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Threading: everything runs in the engine's main context; no locks.
 * Ownership: the machine owns its QMP connection, its GSubprocess (when this engine
 * started QEMU) or its pidfd watch (when it found QEMU running), and the GTasks of
 * operations waiting for QEMU: start_task until the handshake or the end of QEMU,
 * off_tasks until QEMU has ended.
 */
#pragma once

#include "hangar-machine.h"
#include "hangar-qmp.h"

G_BEGIN_DECLS

struct _HangarMachine
{
  GObject             parent_instance;

  HangarDomain       *domain;        /* the definition */
  HangarDomain       *live_domain;   /* what the running QEMU was started with */
  const HangarCapabilities *caps;    /* owned by the engine, outlives every machine */
  char               *runtime_dir;

  HangarMachineState  state;
  char               *reason;
  char               *last_error;

  GPid                pid;
  GSubprocess        *process;       /* when this engine started QEMU */
  GSource            *pidfd_source;  /* when QEMU was found running */
  int                 pidfd;
  HangarQmp          *qmp;
  GCancellable       *cancellable;   /* cancelled in dispose */

  GTask              *start_task;
  GPtrArray          *off_tasks;
  guint               kill_timeout_id;

  gboolean            forced;           /* ForceOff asked for the end */
  gboolean            guest_shut_down;  /* the guest powered off */
  gboolean            reboot_pending;   /* Reboot: reset instead of quitting at power-off */
  gboolean            pause_requested;
  gboolean            io_error;
  gboolean            panicked;
  gboolean            install_restart;  /* start again once QEMU has ended: installed */
  gboolean            updating;         /* a new definition is being applied live */
  gboolean            host_signal;      /* QEMU quit on a signal it was sent from outside */
  char               *accel;            /* what the running QEMU uses, read from its -accel */
  guint64             balloon_actual;   /* bytes the guest has, from QEMU's balloon; 0: unknown */
  GPtrArray          *usb;              /* HangarUsbAttachment: hangar-machine-usb.c */
  gboolean            usb_controller;   /* a qemu-xhci was hot-added for them */
  guint               usb_next;
};

void  _hangar_machine_set_state      (HangarMachine      *self,
                                      HangarMachineState  state,
                                      const char         *reason);
void  _hangar_machine_set_last_error (HangarMachine      *self,
                                      const char         *message);
void  _hangar_machine_attach_qmp     (HangarMachine      *self,
                                      HangarQmp          *qmp);
void  _hangar_machine_qmp_simple     (HangarMachine      *self,
                                      const char         *command);
void  _hangar_machine_qmp_command    (HangarMachine      *self,
                                      const char         *command,
                                      JsonObject         *arguments);
void  _hangar_machine_qmp_send_quietly (HangarMachine    *self,
                                        const char       *command,
                                        const char       *key,
                                        const char       *value);
gboolean _hangar_machine_finish_install (HangarMachine   *self);
void  _hangar_machine_emit_changed   (HangarMachine      *self);
void  _hangar_machine_query_balloon  (HangarMachine      *self);
void  _hangar_machine_set_live_domain (HangarMachine     *self,
                                      HangarDomain       *domain);
void  _hangar_machine_stop_watching  (HangarMachine      *self);
void  _hangar_machine_usb_forget     (HangarMachine      *self);
char *_hangar_machine_log_tail       (HangarMachine      *self,
                                      guint               max_lines);

G_END_DECLS
