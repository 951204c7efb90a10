/* hangar-remote.h: what every client of a remote engine shares: the ssh command, its
 * failures said plainly, and the engine version handshake
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * hangarctl --connect and the UI's connections link this (engine/api), so that a host
 * refused, a key refused, a missing or too old hangar-engine read the same everywhere.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The oldest hangar-engine this client works with: the D-Bus API it relies on. */
#define HANGAR_ENGINE_MIN_VERSION "0.1.0"

#define HANGAR_REMOTE_ERROR (hangar_remote_error_quark ())

typedef enum
{
  HANGAR_REMOTE_ERROR_INVALID_ADDRESS,       /* not ssh://[user@]host[:port] */
  HANGAR_REMOTE_ERROR_UNREACHABLE,           /* no route, refused, timed out, unknown name */
  HANGAR_REMOTE_ERROR_AUTHENTICATION_FAILED, /* the server refused every key or password */
  HANGAR_REMOTE_ERROR_HOST_KEY,              /* unknown or changed host key */
  HANGAR_REMOTE_ERROR_NOT_INSTALLED,         /* no hangar-engine on the host (status 127) */
  HANGAR_REMOTE_ERROR_ENGINE_TOO_OLD,        /* see hangar_remote_check_engine_version() */
  HANGAR_REMOTE_ERROR_DROPPED,               /* the connection ended */
} HangarRemoteError;

typedef struct
{
  char  *user;  /* nullable: ssh's default */
  char  *host;
  guint  port;  /* 0: ssh's default */
} HangarRemoteAddress;

GQuark                hangar_remote_error_quark          (void);
HangarRemoteAddress  *hangar_remote_address_parse        (const char          *url,
                                                          GError             **error);
void                  hangar_remote_address_free         (HangarRemoteAddress *address);
char                 *hangar_remote_address_label        (const HangarRemoteAddress *address);
GStrv                 hangar_remote_ssh_argv             (const HangarRemoteAddress *address,
                                                          const char          *identity,
                                                          const char * const  *extra_options,
                                                          const char          *remote_command);
GError               *hangar_remote_ssh_error            (const HangarRemoteAddress *address,
                                                          int                  wait_status,
                                                          const char          *ssh_stderr);
int                   hangar_version_compare             (const char          *a,
                                                          const char          *b);
gboolean              hangar_remote_check_engine_version (const char          *host,
                                                          const char          *engine_version,
                                                          GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HangarRemoteAddress, hangar_remote_address_free)

G_END_DECLS
