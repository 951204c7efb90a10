/* hangar-remote.c: the ssh command of a remote engine, its failures, the version handshake
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "hangar-api"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "hangar-remote.h"

G_DEFINE_QUARK (hangar-remote-error-quark, hangar_remote_error)

void
hangar_remote_address_free (HangarRemoteAddress *address)
{
  if (address == NULL)
    return;
  g_free (address->user);
  g_free (address->host);
  g_free (address);
}

static gboolean
host_is_valid (const char *host)
{
  /* Letters, digits, dots, dashes, colons (IPv6): nothing ssh could read as an option. */
  if (host[0] == '\0' || host[0] == '-')
    return FALSE;
  for (const char *p = host; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr (".-:_", *p) == NULL)
      return FALSE;
  return TRUE;
}

/**
 * hangar_remote_address_parse:
 * @url: "ssh://[user@]host[:port]" ("ssh://user@[::1]:2222" for IPv6)
 */
HangarRemoteAddress *
hangar_remote_address_parse (const char  *url,
                             GError     **error)
{
  g_autoptr(HangarRemoteAddress) address = g_new0 (HangarRemoteAddress, 1);
  g_autofree char *rest = NULL;
  const char *at, *port = NULL;

  g_return_val_if_fail (url != NULL, NULL);

  if (!g_str_has_prefix (url, "ssh://"))
    goto invalid;
  rest = g_strdup (url + strlen ("ssh://"));
  if (g_str_has_suffix (rest, "/"))
    rest[strlen (rest) - 1] = '\0';
  at = strrchr (rest, '@');
  if (at != NULL)
    {
      address->user = g_strndup (rest, at - rest);
      if (address->user[0] == '\0' || address->user[0] == '-' ||
          strpbrk (address->user, " /:@") != NULL)
        goto invalid;
    }
  at = at ? at + 1 : rest;
  if (at[0] == '[')
    {
      const char *end = strchr (at, ']');

      if (end == NULL || (end[1] != '\0' && end[1] != ':'))
        goto invalid;
      address->host = g_strndup (at + 1, end - at - 1);
      port = end[1] == ':' ? end + 2 : NULL;
    }
  else
    {
      const char *colon = strchr (at, ':');

      address->host = colon ? g_strndup (at, colon - at) : g_strdup (at);
      port = colon ? colon + 1 : NULL;
    }
  if (!host_is_valid (address->host))
    goto invalid;
  if (port != NULL)
    {
      guint64 value;

      if (!g_ascii_string_to_unsigned (port, 10, 1, 65535, &value, NULL))
        goto invalid;
      address->port = value;
    }
  return g_steal_pointer (&address);

invalid:
  g_set_error (error, HANGAR_REMOTE_ERROR, HANGAR_REMOTE_ERROR_INVALID_ADDRESS,
               _("“%s” is not a host address; write ssh://user@host or ssh://user@host:port."),
               url);
  return NULL;
}

/* "user@host" or "host", as messages name the host. */
char *
hangar_remote_address_label (const HangarRemoteAddress *address)
{
  if (address->user != NULL)
    return g_strdup_printf ("%s@%s", address->user, address->host);
  return g_strdup (address->host);
}

/**
 * hangar_remote_ssh_argv:
 * @identity: (nullable): a private key file (`-i`)
 * @extra_options: (nullable): more `ssh` options, before the destination
 * @remote_command: "hangar-engine --stdio" or "hangar-engine --console UUID vnc"
 *
 * `ssh -T [-F $HANGAR_SSH_CONFIG] [-p PORT] [-i KEY] OPTIONS [user@]host COMMAND`. The
 * environment variable HANGAR_SSH_CONFIG names an ssh_config file to use instead of the
 * user's (tests point it at their own keys and known_hosts).
 */
GStrv
hangar_remote_ssh_argv (const HangarRemoteAddress *address,
                        const char                *identity,
                        const char * const        *extra_options,
                        const char                *remote_command)
{
  g_autoptr(GStrvBuilder) argv = g_strv_builder_new ();
  const char *config = g_getenv ("HANGAR_SSH_CONFIG");
  g_autofree char *destination = hangar_remote_address_label (address);

  g_strv_builder_add (argv, "ssh");
  g_strv_builder_add (argv, "-T");
  if (config != NULL && config[0] != '\0')
    g_strv_builder_add_many (argv, "-F", config, NULL);
  if (address->port != 0)
    {
      g_autofree char *port = g_strdup_printf ("%u", address->port);
      g_strv_builder_add_many (argv, "-p", port, NULL);
    }
  if (identity != NULL)
    g_strv_builder_add_many (argv, "-i", identity, NULL);
  for (guint i = 0; extra_options != NULL && extra_options[i] != NULL; i++)
    g_strv_builder_add (argv, extra_options[i]);
  g_strv_builder_add_many (argv, "--", destination, remote_command, NULL);
  return g_strv_builder_end (argv);
}

/* The last non-empty line ssh wrote, for the message. */
static char *
last_line (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text ? text : "", "\n", -1);

  for (guint i = g_strv_length (lines); i > 0; i--)
    {
      char *line = g_strstrip (lines[i - 1]);
      gsize length = strlen (line);

      /* The messages put their own full stop after it. */
      if (length > 0 && line[length - 1] == '.')
        line[length - 1] = '\0';
      if (line[0] != '\0')
        return g_strdup (line);
    }
  return g_strdup ("");
}

/**
 * hangar_remote_ssh_error:
 * @wait_status: how ssh ended (as from waitpid)
 * @ssh_stderr: what ssh wrote on its standard error
 *
 * Returns: the failure of an ssh connection to a remote engine, said plainly.
 */
GError *
hangar_remote_ssh_error (const HangarRemoteAddress *address,
                         int                        wait_status,
                         const char                *ssh_stderr)
{
  g_autofree char *label = hangar_remote_address_label (address);
  g_autofree char *said = last_line (ssh_stderr);
  const char *text = ssh_stderr ? ssh_stderr : "";
  int status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;

  if (status == 127)
    return g_error_new (HANGAR_REMOTE_ERROR, HANGAR_REMOTE_ERROR_NOT_INSTALLED,
                        _("hangar-engine is not installed on %s (or not on the PATH of an SSH "
                          "session there). Install Hangar on that host, e.g. “meson install” "
                          "of this version, so that “ssh %s hangar-engine --version” works."),
                        address->host, label);
  if (strstr (text, "Permission denied") != NULL ||
      strstr (text, "Too many authentication failures") != NULL)
    return g_error_new (HANGAR_REMOTE_ERROR, HANGAR_REMOTE_ERROR_AUTHENTICATION_FAILED,
                        _("Authentication failed: %s did not accept the key or password "
                          "given for %s (%s)."), address->host, label, said);
  if (strstr (text, "Host key verification failed") != NULL ||
      strstr (text, "REMOTE HOST IDENTIFICATION HAS CHANGED") != NULL)
    return g_error_new (HANGAR_REMOTE_ERROR, HANGAR_REMOTE_ERROR_HOST_KEY,
                        _("The host key of %s is unknown or has changed; check it and add it "
                          "to known_hosts before connecting (%s)."), address->host, said);
  if (status == 255 &&
      (strstr (text, "Connection refused") != NULL || strstr (text, "No route to host") != NULL ||
       strstr (text, "timed out") != NULL || strstr (text, "Could not resolve") != NULL ||
       strstr (text, "Network is unreachable") != NULL ||
       strstr (text, "Connection closed by") != NULL ||
       strstr (text, "Name or service not known") != NULL))
    return g_error_new (HANGAR_REMOTE_ERROR, HANGAR_REMOTE_ERROR_UNREACHABLE,
                        _("Cannot reach %s: %s"), address->host, said);
  if (said[0] != '\0')
    return g_error_new (HANGAR_REMOTE_ERROR, HANGAR_REMOTE_ERROR_DROPPED,
                        _("The connection to %s ended: %s"), address->host, said);
  return g_error_new (HANGAR_REMOTE_ERROR, HANGAR_REMOTE_ERROR_DROPPED,
                      _("The connection to %s ended; machines there keep running."),
                      address->host);
}

/* Compares dotted version numbers ("0.10.1" > "0.9", "1.0" == "1"): <0, 0, >0. What
 * follows the numbers ("~rc1") is not compared. */
int
hangar_version_compare (const char *a,
                        const char *b)
{
  while (*a != '\0' || *b != '\0')
    {
      char *end_a = (char *) a, *end_b = (char *) b;
      guint64 x = g_ascii_isdigit (*a) ? g_ascii_strtoull (a, &end_a, 10) : 0;
      guint64 y = g_ascii_isdigit (*b) ? g_ascii_strtoull (b, &end_b, 10) : 0;

      if (x != y)
        return x < y ? -1 : 1;
      a = *end_a == '.' ? end_a + 1 : "";
      b = *end_b == '.' ? end_b + 1 : "";
    }
  return 0;
}

/**
 * hangar_remote_check_engine_version:
 * @host: the host, as messages name it
 * @engine_version: Host1.EngineVersion ("" or NULL from an engine too old to say)
 *
 * The version handshake: refuses an engine older than HANGAR_ENGINE_MIN_VERSION.
 * HANGAR_REQUIRE_ENGINE_VERSION in the environment asks for another minimum (tests
 * use it to meet an engine "too old" without building an old one).
 */
gboolean
hangar_remote_check_engine_version (const char  *host,
                                    const char  *engine_version,
                                    GError     **error)
{
  const char *required = g_getenv ("HANGAR_REQUIRE_ENGINE_VERSION");

  if (required == NULL || required[0] == '\0')
    required = HANGAR_ENGINE_MIN_VERSION;
  if (engine_version == NULL || engine_version[0] == '\0' ||
      !g_ascii_isdigit (engine_version[0]) ||
      hangar_version_compare (engine_version, required) < 0)
    {
      g_set_error (error, HANGAR_REMOTE_ERROR, HANGAR_REMOTE_ERROR_ENGINE_TOO_OLD,
                   _("hangar-engine on %s is version %s; this Hangar needs %s or later."),
                   host, engine_version && engine_version[0] ? engine_version : _("(unknown)"),
                   required);
      return FALSE;
    }
  return TRUE;
}
