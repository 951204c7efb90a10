/* hangar-test-sshd.h: a real OpenSSH server for remote-host tests, and the remote user's engine
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * hangar_test_sshd_new() starts Debian's /usr/sbin/sshd on 127.0.0.1 on a spare port, with
 * host keys, an sshd_config and an authorized_keys file of its own in a temporary folder,
 * letting in the user who runs the test (root in CI; an unprivileged sshd can only let in
 * its own user, which is that user too). Every session runs through a ForceCommand wrapper
 * that gives "the remote user" XDG folders of its own and a PATH whose first folder holds
 * the hangar-engine of this build tree: the engine an SSH client reaches is a second engine,
 * not the test's local one.
 *
 * Clients never read the real ~/.ssh: the harness writes an ssh_config (the identity, a
 * known_hosts file that already holds the server's key) which a client takes with `ssh -F`.
 * Hangar's clients (hangarctl, the UI) take that file from the environment variable
 * HANGAR_SSH_CONFIG; hangar_test_sshd_client_environ() sets it.
 */
#pragma once

#include <gio/gio.h>

#include "hangar-dbus.h"

G_BEGIN_DECLS

typedef struct
{
  char        *dir;             /* temporary folder: keys, configs, the remote XDG folders */
  char        *user;            /* the user sshd lets in: the one running the test */
  guint        port;            /* on 127.0.0.1 */
  char        *destination;     /* user@127.0.0.1 */
  char        *url;             /* ssh://user@127.0.0.1:port */
  char        *ssh_config;      /* client config with the authorized key: `ssh -F` */
  char        *ssh_config_nokey; /* the same without an identity: give one with `-i` */
  char        *identity;        /* the private key in authorized_keys */
  char        *wrong_identity;  /* a private key sshd does not know */
  char        *known_hosts;     /* the client's known_hosts; holds the server's key */
  char        *host_public_key; /* the server's public key, "ssh-ed25519 AAAA..." */
  char        *wrapper;         /* the ForceCommand script */
  /* The remote user's folders, as the remote engine sees them. */
  char        *remote_config_dir;
  char        *remote_data_dir;
  char        *remote_runtime_dir;
  GSubprocess *sshd;
} HangarTestSshd;

HangarTestSshd   *hangar_test_sshd_new             (void);
void              hangar_test_sshd_free            (HangarTestSshd   *sshd);
void              hangar_test_sshd_set_remote_path (HangarTestSshd   *sshd,
                                                    const char       *path);
char            **hangar_test_sshd_client_environ  (HangarTestSshd   *sshd);
GPtrArray        *hangar_test_sshd_ssh_argv        (HangarTestSshd   *sshd,
                                                    const char       *remote_command);
GDBusConnection  *hangar_test_sshd_connect         (HangarTestSshd   *sshd,
                                                    GSubprocess     **out_ssh);
HangarDBusMachine1 *hangar_test_sshd_define        (HangarTestSshd   *sshd,
                                                    GDBusConnection  *connection,
                                                    GDBusObjectManager **out_manager,
                                                    const char       *xml);
GPid              hangar_test_sshd_remote_engine_pid (HangarTestSshd *sshd);
char             *hangar_test_sshd_remote_serial_log (HangarTestSshd *sshd,
                                                      const char     *uuid);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HangarTestSshd, hangar_test_sshd_free)

G_END_DECLS
