/* hangar-create-checks.c: what the create-VM wizard says of a person's choices
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Each check returns its level and, unless the level is HANGAR_CHECK_OK, a message
 * in whole sentences that says what to change. The engine checks again: these are
 * for saying it on the page, as the person types, before anything is made.
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "hangar-create-checks.h"
#include "hangar-format.h"

/* Above this share of the host's memory the host itself starts to suffer. */
#define MEMORY_WARNING_PERCENT 80

/* The engine refuses larger images (Host1.CreateVolume). */
#define DISK_MAX_GIB (64.0 * 1024)

static HangarCheckLevel
say (HangarCheckLevel   level,
     char             **message,
     char              *text)
{
  if (message != NULL)
    *message = text;
  else
    g_free (text);
  return level;
}

HangarCheckLevel
hangar_create_check_memory (guint64   memory_mib,
                            guint64   host_memory_kib,
                            char    **message)
{
  guint64 memory_kib = memory_mib * 1024;
  g_autofree char *host = hangar_format_memory (NULL, host_memory_kib);

  if (message != NULL)
    *message = NULL;
  if (memory_mib == 0)
    return say (HANGAR_CHECK_ERROR, message, g_strdup (_("A machine needs some memory.")));
  if (host_memory_kib == 0)
    return HANGAR_CHECK_OK;
  if (memory_kib > host_memory_kib)
    return say (HANGAR_CHECK_ERROR, message,
                g_strdup_printf (_("This host has only %s of memory. Choose less."), host));
  if (memory_kib * 100 > host_memory_kib * MEMORY_WARNING_PERCENT)
    return say (HANGAR_CHECK_WARNING, message,
                g_strdup_printf (_("That is more than %d %% of this host’s %s: the host and "
                                   "its other machines may slow down or run out of memory."),
                                 MEMORY_WARNING_PERCENT, host));
  return HANGAR_CHECK_OK;
}

HangarCheckLevel
hangar_create_check_vcpus (guint   vcpus,
                           guint   host_cpus,
                           char  **message)
{
  if (message != NULL)
    *message = NULL;
  if (vcpus == 0)
    return say (HANGAR_CHECK_ERROR, message, g_strdup (_("A machine needs a processor.")));
  if (host_cpus != 0 && vcpus > host_cpus)
    return say (HANGAR_CHECK_ERROR, message,
                g_strdup_printf (ngettext ("This host has only %u processor. Choose fewer.",
                                           "This host has only %u processors. Choose fewer.",
                                           host_cpus),
                                 host_cpus));
  return HANGAR_CHECK_OK;
}

/* @what: the thing named, as a sentence's subject ("The ISO image"). */
HangarCheckLevel
hangar_create_check_path (const char  *path,
                          const char  *what,
                          char       **message)
{
  if (message != NULL)
    *message = NULL;
  if (path == NULL || path[0] == '\0')
    return say (HANGAR_CHECK_ERROR, message,
                /* Translators: %s is e.g. "The ISO image" */
                g_strdup_printf (_("%s is not chosen yet."), what));
  if (!g_path_is_absolute (path))
    return say (HANGAR_CHECK_ERROR, message,
                g_strdup_printf (_("“%s” is not a full path: it must start with “/”."), path));
  if (strchr (path, '\n') != NULL)
    return say (HANGAR_CHECK_ERROR, message,
                g_strdup (_("A path cannot have a line break in it.")));
  return HANGAR_CHECK_OK;
}

HangarCheckLevel
hangar_create_check_url (const char  *url,
                         char       **message)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (message != NULL)
    *message = NULL;
  if (url == NULL || url[0] == '\0')
    return say (HANGAR_CHECK_ERROR, message, g_strdup (_("Enter the install tree’s URL.")));
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0' ||
      !(g_str_equal (scheme, "http") || g_str_equal (scheme, "https") ||
        g_str_equal (scheme, "ftp")))
    return say (HANGAR_CHECK_ERROR, message,
                g_strdup_printf (_("“%s” is not an http://, https:// or ftp:// address."), url));
  return HANGAR_CHECK_OK;
}

HangarCheckLevel
hangar_create_check_disk_size (double   size_gib,
                               char   **message)
{
  if (message != NULL)
    *message = NULL;
  if (size_gib <= 0)
    return say (HANGAR_CHECK_ERROR, message,
                g_strdup (_("A disk of 0 GiB holds nothing. Choose a size, or no disk.")));
  if (size_gib > DISK_MAX_GIB)
    return say (HANGAR_CHECK_ERROR, message,
                g_strdup (_("Images larger than 64 TiB are not supported.")));
  return HANGAR_CHECK_OK;
}
