/* hangar-osinfo.c: the libosinfo catalogue, loaded once, lazily, off the main thread
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Reading osinfo-db's ~800 operating systems takes about half a second and some
 * megabytes, so the engine does it only when something asks (a catalogue call, or a
 * definition that names an OS) and in a worker thread. Once loaded, the database is
 * only read, from the main thread.
 *
 * Signals:
 *   loaded: the catalogue has just been loaded.
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-error.h"
#include "hangar-osinfo.h"

struct _HangarOsinfo
{
  GObject   parent_instance;

  OsinfoDb *db;        /* NULL until loaded */
  GPtrArray *waiting;  /* GTask, while a load runs */
  gint64    load_usec; /* how long the load took */
};

enum {
  SIGNAL_LOADED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (HangarOsinfo, hangar_osinfo, G_TYPE_OBJECT)

static void
load_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  g_autoptr(OsinfoLoader) loader = osinfo_loader_new ();
  GError *error = NULL;

  HANGAR_OSINFO_LEAKS_BEGIN ();
  osinfo_loader_process_default_path (loader, &error);
  HANGAR_OSINFO_LEAKS_END ();
  if (error != NULL)
    {
      g_task_return_new_error (task, HANGAR_ERROR, HANGAR_ERROR_FAILED,
                               _("Could not read the operating system catalogue (osinfo-db): %s"),
                               error->message);
      g_error_free (error);
      return;
    }
  g_task_return_pointer (task, g_object_ref (osinfo_loader_get_db (loader)), g_object_unref);
}

static void
on_loaded (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  HangarOsinfo *self = HANGAR_OSINFO (object);
  g_autoptr(GPtrArray) waiting = g_steal_pointer (&self->waiting);
  g_autoptr(GError) error = NULL;
  gint64 started = GPOINTER_TO_SIZE (user_data);

  self->db = g_task_propagate_pointer (G_TASK (result), &error);
  self->load_usec = g_get_monotonic_time () - started;
  g_debug ("osinfo-db loaded in %" G_GINT64_FORMAT " ms", self->load_usec / 1000);
  for (guint i = 0; i < waiting->len; i++)
    {
      GTask *task = g_ptr_array_index (waiting, i);

      if (self->db != NULL)
        g_task_return_pointer (task, g_object_ref (self->db), g_object_unref);
      else
        g_task_return_error (task, g_error_copy (error));
    }
  if (self->db != NULL)
    g_signal_emit (self, signals[SIGNAL_LOADED], 0);
}

/**
 * hangar_osinfo_load_async:
 *
 * Completes with the database, loading it first the first time. A failed load is
 * tried again by the next call.
 */
void
hangar_osinfo_load_async (HangarOsinfo        *self,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HANGAR_IS_OSINFO (self));

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, hangar_osinfo_load_async);
  if (self->db != NULL)
    {
      g_task_return_pointer (task, g_object_ref (self->db), g_object_unref);
      return;
    }
  if (self->waiting == NULL)
    {
      g_autoptr(GTask) load = g_task_new (self, NULL, on_loaded,
                                          GSIZE_TO_POINTER (g_get_monotonic_time ()));

      self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
      g_task_run_in_thread (load, load_in_thread);
    }
  g_ptr_array_add (self->waiting, g_steal_pointer (&task));
}

OsinfoDb *
hangar_osinfo_load_finish (HangarOsinfo  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The database once loaded, else NULL. */
OsinfoDb *
hangar_osinfo_get_db (HangarOsinfo *self)
{
  g_return_val_if_fail (HANGAR_IS_OSINFO (self), NULL);

  return self->db;
}

/**
 * hangar_osinfo_os_name:
 *
 * Returns: the name of the OS ("Debian 11"), or NULL when it is unknown or the
 * catalogue is not loaded yet.
 */
const char *
hangar_osinfo_os_name (HangarOsinfo *self,
                       const char   *os_id)
{
  OsinfoOs *os;

  g_return_val_if_fail (HANGAR_IS_OSINFO (self), NULL);

  if (self->db == NULL || os_id == NULL)
    return NULL;
  os = osinfo_db_get_os (self->db, os_id);
  return os ? osinfo_product_get_name (OSINFO_PRODUCT (os)) : NULL;
}

/* ---- search ------------------------------------------------------------------- */

/* Lower case, accents gone: "Débian" and "debian" compare equal. */
static char *
fold (const char *text)
{
  g_autofree char *normalized = g_utf8_normalize (text ? text : "", -1, G_NORMALIZE_NFKD);
  g_autoptr(GString) out = g_string_new (NULL);

  for (const char *p = normalized; p && *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_type (c) != G_UNICODE_NON_SPACING_MARK)
        g_string_append_unichar (out, g_unichar_tolower (c));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

typedef struct
{
  OsinfoOs *os;
  int       score;
  char     *release;  /* "2021-08-14", or "" */
} Match;

static void
match_clear (gpointer data)
{
  g_free (((Match *) data)->release);
}

static int
compare_matches (gconstpointer a,
                 gconstpointer b)
{
  const Match *ma = a, *mb = b;
  int by_release;

  if (ma->score != mb->score)
    return mb->score - ma->score;
  by_release = g_strcmp0 (mb->release, ma->release); /* newest first */
  if (by_release != 0)
    return by_release;
  return g_strcmp0 (osinfo_product_get_short_id (OSINFO_PRODUCT (ma->os)),
                    osinfo_product_get_short_id (OSINFO_PRODUCT (mb->os)));
}

/* 0 when some word of @words is in none of the fields; more for better matches. */
static int
score_os (OsinfoOs    *os,
          char       **words)
{
  OsinfoProduct *product = OSINFO_PRODUCT (os);
  g_autofree char *name = fold (osinfo_product_get_name (product));
  g_autofree char *short_id = fold (osinfo_product_get_short_id (product));
  g_autofree char *vendor = fold (osinfo_product_get_vendor (product));
  int score = 1;

  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *word = words[i];

      if (g_str_equal (short_id, word))
        score += 8;
      else if (g_str_has_prefix (short_id, word) || g_str_has_prefix (name, word))
        score += 4;
      else if (strstr (name, word) != NULL || strstr (short_id, word) != NULL)
        score += 2;
      else if (strstr (vendor, word) != NULL)
        score += 1;
      else
        return 0;
    }
  return score;
}

/**
 * hangar_osinfo_search:
 * @query: words matched against name, short id and vendor; "" for all
 *
 * Returns: (transfer floating): a(sss) of id, short id, name; best match first,
 * newest release first among equals. The catalogue must be loaded.
 */
GVariant *
hangar_osinfo_search (HangarOsinfo *self,
                      const char   *query,
                      guint         limit)
{
  g_autofree char *folded = fold (query);
  g_auto(GStrv) words = g_str_tokenize_and_fold (folded, NULL, NULL);
  g_autoptr(OsinfoOsList) list = NULL;
  g_autoptr(GArray) matches = g_array_new (FALSE, FALSE, sizeof (Match));
  GVariantBuilder builder;

  g_return_val_if_fail (HANGAR_IS_OSINFO (self), NULL);
  g_return_val_if_fail (self->db != NULL, NULL);

  g_array_set_clear_func (matches, match_clear);
  list = osinfo_db_get_os_list (self->db);
  for (int i = 0; i < osinfo_list_get_length (OSINFO_LIST (list)); i++)
    {
      OsinfoOs *os = OSINFO_OS (osinfo_list_get_nth (OSINFO_LIST (list), i));
      const char *release = osinfo_product_get_release_date_string (OSINFO_PRODUCT (os));
      Match match = { os, score_os (os, words), g_strdup (release ? release : "") };

      if (match.score > 0)
        g_array_append_val (matches, match);
      else
        g_free (match.release);
    }
  g_array_sort (matches, compare_matches);

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sss)"));
  for (guint i = 0; i < matches->len && i < limit; i++)
    {
      OsinfoProduct *product = OSINFO_PRODUCT (g_array_index (matches, Match, i).os);
      const char *short_id = osinfo_product_get_short_id (product);
      const char *name = osinfo_product_get_name (product);

      g_variant_builder_add (&builder, "(sss)", osinfo_entity_get_id (OSINFO_ENTITY (product)),
                             short_id ? short_id : "", name ? name : "");
    }
  return g_variant_builder_end (&builder);
}

/* ---- object ------------------------------------------------------------------- */

static void
hangar_osinfo_finalize (GObject *object)
{
  HangarOsinfo *self = HANGAR_OSINFO (object);

  g_assert (self->waiting == NULL); /* a load task holds a reference */
  g_clear_object (&self->db);
  G_OBJECT_CLASS (hangar_osinfo_parent_class)->finalize (object);
}

static void
hangar_osinfo_class_init (HangarOsinfoClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hangar_osinfo_finalize;

  signals[SIGNAL_LOADED] =
    g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
hangar_osinfo_init (HangarOsinfo *self)
{
}

HangarOsinfo *
hangar_osinfo_new (void)
{
  return g_object_new (HANGAR_TYPE_OSINFO, NULL);
}
