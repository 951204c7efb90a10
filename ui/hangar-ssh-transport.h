/* hangar-ssh-transport.h: an engine on another host, reached through OpenSSH
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hangar-types.h"

G_BEGIN_DECLS

/**
 * HangarSshError:
 * @HANGAR_SSH_ERROR_FAILED: ssh failed for another reason; the message quotes it
 * @HANGAR_SSH_ERROR_UNREACHABLE: the host name is unknown or nothing answers on the port
 * @HANGAR_SSH_ERROR_AUTHENTICATION: the host refused every key and password offered
 * @HANGAR_SSH_ERROR_HOST_KEY_CHANGED: the host's key is not the one in known_hosts
 * @HANGAR_SSH_ERROR_HOST_KEY_REFUSED: the host's key is unknown and was not accepted
 * @HANGAR_SSH_ERROR_ENGINE_MISSING: hangar-engine is not installed on the host
 * @HANGAR_SSH_ERROR_ENGINE_TOO_OLD: the host's engine is older than this application needs
 * @HANGAR_SSH_ERROR_DROPPED: the connection ended after it was made
 * @HANGAR_SSH_ERROR_INVALID: the destination, port or identity file is not usable
 */
typedef enum
{
  HANGAR_SSH_ERROR_FAILED,
  HANGAR_SSH_ERROR_UNREACHABLE,
  HANGAR_SSH_ERROR_AUTHENTICATION,
  HANGAR_SSH_ERROR_HOST_KEY_CHANGED,
  HANGAR_SSH_ERROR_HOST_KEY_REFUSED,
  HANGAR_SSH_ERROR_ENGINE_MISSING,
  HANGAR_SSH_ERROR_ENGINE_TOO_OLD,
  HANGAR_SSH_ERROR_DROPPED,
  HANGAR_SSH_ERROR_INVALID,
} HangarSshError;

#define HANGAR_SSH_ERROR (hangar_ssh_error_quark ())
GQuark hangar_ssh_error_quark (void);

#define HANGAR_TYPE_SSH_TRANSPORT (hangar_ssh_transport_get_type ())
G_DECLARE_FINAL_TYPE (HangarSshTransport, hangar_ssh_transport, HANGAR, SSH_TRANSPORT, GObject)

HangarSshTransport *hangar_ssh_transport_new              (const char          *destination,
                                                           guint                port,
                                                           const char          *identity_file);
const char         *hangar_ssh_transport_get_destination  (HangarSshTransport  *self);
guint               hangar_ssh_transport_get_port         (HangarSshTransport  *self);
const char         *hangar_ssh_transport_get_identity_file (HangarSshTransport *self);
gboolean            hangar_ssh_transport_check            (const char          *destination,
                                                           guint                port,
                                                           const char          *identity_file,
                                                           GError             **error);
GStrv               hangar_ssh_transport_build_argv       (HangarSshTransport  *self,
                                                           const char * const  *remote_command);
void                hangar_ssh_transport_open_async       (HangarSshTransport  *self,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
GDBusConnection    *hangar_ssh_transport_open_finish      (HangarSshTransport  *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);
void                hangar_ssh_transport_open_console_async  (HangarSshTransport  *self,
                                                              const char          *uuid,
                                                              const char          *kind,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
int                 hangar_ssh_transport_open_console_finish (HangarSshTransport  *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);
HangarSshTransport *hangar_ssh_transport_for_proxy        (GDBusProxy          *proxy);
GError             *hangar_ssh_transport_take_exit_error  (HangarSshTransport  *self);
void                hangar_ssh_transport_close            (HangarSshTransport  *self);
void                hangar_ssh_transport_stop_master      (HangarSshTransport  *self);
const char         *hangar_ssh_transport_get_pid          (HangarSshTransport  *self);
GError             *hangar_ssh_transport_classify         (int                  exit_status,
                                                           const char          *stderr_text);

G_END_DECLS
