package dev.backendteam.queryoptimizer.advisor;

import java.util.Locale;

/** Quoting of names in the SQL the optimizer writes. */
public final class Identifiers {
    private Identifiers() {
    }

    /** The name as SQL: bare when PostgreSQL reads it back the same, quoted otherwise. */
    public static String quote(String name) {
        return name.matches("[a-z_][a-z0-9_$]*") && !RESERVED.contains("," + name + ",") ? name
                : "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static final String RESERVED = ",all,analyse,analyze,and,any,array,as,asc,asymmetric,both,case,cast,check,"
            + "collate,column,constraint,create,current_date,current_role,current_time,current_timestamp,current_user,"
            + "default,deferrable,desc,distinct,do,else,end,except,false,fetch,for,foreign,from,grant,group,having,in,"
            + "initially,intersect,into,lateral,leading,limit,localtime,localtimestamp,not,null,offset,on,only,or,order,"
            + "placing,primary,references,returning,select,session_user,some,symmetric,table,then,to,trailing,true,union,"
            + "unique,user,using,variadic,when,where,window,with,current_catalog,system_user,"
            // type and function names: not usable bare as a column of an index
            + "authorization,binary,collation,concurrently,cross,current_schema,freeze,full,ilike,inner,is,isnull,"
            + "join,left,like,natural,notnull,outer,overlaps,right,similar,tablesample,verbose,".toLowerCase(Locale.ROOT);
}
